-- Twilio Verify v2 Service Rate Limits (issue 28). A rate limit (RK sid) names a key an app sends on Create
-- Verification (RateLimits={"<unique_name>":"<value>"}); its buckets (BL sid) say how many creates per interval one
-- value may make. A Service's removal removes its limits, a limit's its buckets, a bucket's its counts.
create table verify_rate_limits (
  sid          text        primary key,
  org_id       text        not null references orgs (id),
  service_sid  text        not null references verify_services (sid) on delete cascade,
  account_sid  text        not null,
  unique_name  text        not null,
  description  text,
  sequence     bigint      not null,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  unique (service_sid, unique_name)
);
-- Lists page by (created_at, sid) within a Service.
create index verify_rate_limits_service_idx on verify_rate_limits (service_sid, created_at, sid);

create table verify_rate_limit_buckets (
  sid              text        primary key,
  rate_limit_sid   text        not null references verify_rate_limits (sid) on delete cascade,
  max_requests     int         not null,
  interval_seconds int         not null,
  sequence         bigint      not null,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  unique (rate_limit_sid, interval_seconds)
);
create index verify_rate_limit_buckets_limit_idx on verify_rate_limit_buckets (rate_limit_sid, created_at, sid);

-- The count of one value in one bucket: a window opened by the value's first create and lasting the bucket's interval,
-- shared by every instance on this database. The value itself is never stored: only its keyed hash (HMAC-SHA256 with
-- a key derived from the master key, as codes; a new master key starts the counts afresh). Rows past expires_at are
-- dead: the next create of that value starts a new window in the same row, and creates delete a few others.
create table verify_rate_limit_counts (
  bucket_sid   text        not null references verify_rate_limit_buckets (sid) on delete cascade,
  value_hash   bytea       not null,
  window_start timestamptz not null,
  hits         int         not null,
  expires_at   timestamptz not null,
  primary key (bucket_sid, value_hash)
);
create index verify_rate_limit_counts_expiry_idx on verify_rate_limit_counts (expires_at);
