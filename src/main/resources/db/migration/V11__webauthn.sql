-- Security keys (WebAuthn / U2F): several per user. A key is pending (no credential yet) from RegisterU2F until
-- VerifyU2FRegistration stores the credential the authenticator made. Public keys need no encryption.
create table webauthn_keys (
  id              text        primary key,
  user_id         text        not null references users (id) on delete cascade,
  rp_id           text        not null,
  name            text,
  credential_id   bytea,
  public_key      bytea,
  aaguid          uuid,
  sign_count      bigint      not null default 0,
  transports      text[]      not null default '{}',
  verified        boolean     not null default false,
  created_at      timestamptz not null,
  verified_at     timestamptz,
  last_used_at    timestamptz
);
create index webauthn_keys_user on webauthn_keys (user_id);
-- A credential belongs to one key of one user, whoever registered it first. Credential ids are public (the
-- browser lists them in allowCredentials), so the unique index echoes nothing secret.
create unique index webauthn_keys_credential on webauthn_keys (credential_id) where credential_id is not null;

-- The challenge of one ceremony, kept here and never trusted from the client: bound to its purpose and subject
-- (registration: the key id; sign-in: the session id) and its user; used once (deleted when answered); expiring.
create table webauthn_challenges (
  purpose            text        not null check (purpose in ('register', 'login')),
  subject_id         text        not null,
  user_id            text        not null references users (id) on delete cascade,
  challenge          bytea       not null,
  rp_id              text        not null,
  user_verification  text        not null,
  expires_at         timestamptz not null,
  primary key (purpose, subject_id)
);
create index webauthn_challenges_user on webauthn_challenges (user_id);
