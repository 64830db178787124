alter table users add column preferred_language text not null default 'en';

-- OTP email authenticators. address null = the user's verified contact email (v2 AddOTPEmail);
-- otherwise an address of its own (v3alpha), unique per user.
create table otp_email_authenticators (
  id           text        primary key,
  user_id      text        not null references users (id) on delete cascade,
  address      text,
  verified     boolean     not null default false,
  created_at   timestamptz not null,
  verified_at  timestamptz
);
create unique index otp_email_address_key on otp_email_authenticators (user_id, lower(address)) where address is not null;
create unique index otp_email_contact_key on otp_email_authenticators (user_id) where address is null;

-- One-time codes: only a keyed hash (SEC S2), bound to user, purpose, target and address (O4),
-- single use (O3), counted misses (O7). No index on the hash (S4).
create table verification_codes (
  id               text        primary key,
  user_id          text        not null references users (id) on delete cascade,
  purpose          text        not null,
  target_id        text        not null,
  address          text        not null,
  code_hash        bytea       not null,
  hash_key_id      text        not null,
  expires_at       timestamptz not null,
  used_at          timestamptz,
  voided_at        timestamptz,
  failed_attempts  integer     not null default 0,
  created_at       timestamptz not null
);
create index verification_codes_target_idx on verification_codes (user_id, purpose, target_id, created_at desc);

-- The outbox: a message to send is a row written in the transaction that made its code, so it is
-- never lost. The code travels sealed and is wiped once sent, failed or expired (S3).
create table outbox (
  id               text        primary key,
  channel          text        not null,
  user_id          text        not null,
  org_id           text        not null,
  recipient        text        not null,
  template         text        not null,
  language         text        not null,
  payload_sealed   bytea,
  status           text        not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts         integer     not null default 0,
  next_attempt_at  timestamptz not null,
  locked_until     timestamptz,
  expires_at       timestamptz not null,
  last_error       text,
  created_at       timestamptz not null,
  sent_at          timestamptz
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
create index outbox_recipient_idx on outbox (recipient, created_at);
create index outbox_user_idx on outbox (user_id, created_at);
