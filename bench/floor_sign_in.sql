-- The floor of a sign-in with user + TOTP for pgbench: read the user and its factor (locked, as checks of one user
-- must run one after another), then the step update, the session's event and the session in one transaction.
-- Pipelined (pgbench \startpipeline): the reads in one round trip, the writes with COMMIT in one more.
\set uid random(1, :signin)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
select u.id, u.org_id, u.state, u.sequence, f.secret_sealed, f.last_used_step from users u join totp_factors f on f.user_id = u.id where u.id = 'sgn-' || :uid for update;
\endpipeline
\startpipeline
update totp_factors set last_used_step = last_used_step + 1 where user_id = 'sgn-' || :uid;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('session', 'pgs-' || :seq, 1, 'session.added', '{"done":["user","TOTP"]}', 'bench', 'bench-org', clock_timestamp());
insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, factors, sequence, created_at, changed_at, login_name) values ('pgs-' || :seq, 'bench', decode(md5(random()::text) || md5(random()::text), 'hex'), 'k1', 'sgn-' || :uid, 'bench-org', clock_timestamp(), '{"totp":{"verifiedAt":"2026-12-04T12:00:00.000Z"}}', 1, clock_timestamp(), clock_timestamp(), 'sgn-' || :uid);
COMMIT;
\endpipeline
