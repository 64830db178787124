-- Twilio Verify v2 (issue 28). An account credential (AC sid + auth token) belongs to one org; only a keyed hash of
-- the token is kept (HMAC-SHA256 with the id of the key, as for codes, SEC S2). A removed credential's row is gone
-- (its events stay). A Verify Service (VA sid) belongs to one org; every change is also an event.
create table twilio_credentials (
  account_sid  text        primary key,
  org_id       text        not null references orgs (id),
  token_hash   bytea       not null,
  key_id       text        not null,
  created_at   timestamptz not null
);
create index twilio_credentials_org_idx on twilio_credentials (org_id, created_at);

create table verify_services (
  sid                          text        primary key,
  org_id                       text        not null references orgs (id),
  account_sid                  text        not null,
  friendly_name                text        not null,
  code_length                  int         not null,
  lookup_enabled               boolean     not null,
  skip_sms_to_landlines        boolean     not null,
  psd2_enabled                 boolean     not null,
  do_not_share_warning_enabled boolean     not null,
  custom_code_enabled          boolean     not null,
  totp_issuer                  text,
  totp_time_step               int         not null,
  totp_code_length             int         not null,
  totp_skew                    int         not null,
  sequence                     bigint      not null,
  created_at                   timestamptz not null,
  updated_at                   timestamptz not null
);
-- Lists page by (created_at, sid) within an org.
create index verify_services_org_idx on verify_services (org_id, created_at, sid);
