-- The floor of a sign-in by email code for pgbench, as its two calls: (1) read the user, make the code, the session
-- and its event; (2) read the session and the code (locked), use the code, change the session, append the event.
-- Pipelined (pgbench \startpipeline): the reads in one round trip, the writes with COMMIT in one more.
\set uid random(1, :signin)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
select id, org_id, state, sequence, email, email_verified from users where id = 'sgn-' || :uid;
\endpipeline
\startpipeline
insert into verification_codes (id, user_id, purpose, target_id, address, code_hash, hash_key_id, expires_at, created_at) values ('pgc-' || :seq, 'sgn-' || :uid, 'LOGIN_EMAIL', 'sgn-mail-' || :uid, 'sgn-' || :uid || '@bench.test', decode(md5(random()::text), 'hex'), 'k1', clock_timestamp() + interval '5 minutes', clock_timestamp());
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('session', 'pgs-' || :seq, 1, 'session.added', '{"done":["user","challenge.email"]}', 'bench', 'bench-org', clock_timestamp());
insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, sequence, created_at, changed_at, login_name) values ('pgs-' || :seq, 'bench', decode(md5(random()::text) || md5(random()::text), 'hex'), 'k1', 'sgn-' || :uid, 'bench-org', clock_timestamp(), 1, clock_timestamp(), clock_timestamp(), 'sgn-' || :uid);
COMMIT;
\endpipeline
\startpipeline
BEGIN;
select s.id, s.sequence, s.token_hash, c.code_hash, c.failed_attempts from sessions s join verification_codes c on c.id = 'pgc-' || :seq where s.id = 'pgs-' || :seq for update;
\endpipeline
\startpipeline
update verification_codes set used_at = clock_timestamp() where id = 'pgc-' || :seq;
update sessions set factors = '{"otpEmail":{"verifiedAt":"2026-12-04T12:00:00.000Z"}}', token_hash = decode(md5(random()::text) || md5(random()::text), 'hex'), sequence = 2, changed_at = clock_timestamp() where id = 'pgs-' || :seq;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('session', 'pgs-' || :seq, 2, 'session.changed', '{"done":["otpEmail"]}', 'bench', 'bench-org', clock_timestamp());
COMMIT;
\endpipeline
