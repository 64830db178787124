-- Session v2: what a sign-in has proven so far. The token is stored only as a keyed hash.
create table sessions (
  id                     text        primary key,
  creator                text        not null,
  token_hash             bytea       not null,
  token_key_id           text        not null,
  user_id                text        references users (id) on delete cascade,
  org_id                 text,
  user_verified_at       timestamptz,
  totp_verified_at       timestamptz,
  otp_sms_verified_at    timestamptz,
  otp_email_verified_at  timestamptz,
  sequence               bigint      not null,
  created_at             timestamptz not null,
  changed_at             timestamptz not null,
  expires_at             timestamptz
);
create index sessions_user_idx on sessions (user_id);

-- Failed second-factor checks per user and factor type (SEC O7); a success resets its count.
create table failed_checks (
  user_id      text    not null references users (id) on delete cascade,
  factor_type  text    not null,
  failed       integer not null,
  primary key (user_id, factor_type)
);
