-- One TOTP authenticator per user: pending until a code proves it, then verified.
-- The secret is sealed (AES-256-GCM, key id inside); no index on it (SEC S4).
-- last_used_step is the newest accepted time step: a code for it or an older one is a replay (SEC T5).
create table totp_factors (
  user_id         text        primary key references users (id) on delete cascade,
  secret_sealed   bytea       not null,
  algorithm       text        not null,
  digits          int         not null,
  period_seconds  int         not null,
  verified        boolean     not null default false,
  last_used_step  bigint      not null default 0,
  created_at      timestamptz not null,
  verified_at     timestamptz
);
