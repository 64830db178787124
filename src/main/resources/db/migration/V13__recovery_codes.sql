-- Recovery codes: one set per user, each code usable once. Only keyed hashes are stored (HMAC-SHA256 with the id
-- of the key, SEC S2); no index on the hash (SEC S4). A new set replaces the old one; used_at marks a spent code.
create table recovery_codes (
  user_id     text        not null references users (id) on delete cascade,
  position    int         not null,
  code_hash   bytea       not null,
  key_id      text        not null,
  created_at  timestamptz not null,
  used_at     timestamptz,
  primary key (user_id, position)
);
