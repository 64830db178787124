-- The floor of a security-key sign-in for pgbench, as its two calls: (1) lock the user, read its keys, store the
-- challenge, the session and its event; (2) lock the user, read the session, the challenge (locked) and the key, then
-- move the key's counter with the user's event, use the challenge up, change the session and append its event.
-- Pipelined (pgbench \startpipeline): the reads in one round trip, the writes with COMMIT in one more. The signature
-- check between the two is the service's, not the database's.
\set uid random(1, :webauthn)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
select id, org_id, state, sequence from users where id = 'wan-' || :uid for update;
select id, credential_id, transports from webauthn_keys where user_id = 'wan-' || :uid and verified;
\endpipeline
\startpipeline
insert into webauthn_challenges (purpose, subject_id, user_id, challenge, rp_id, user_verification, expires_at) values ('login', 'pgs-' || :seq, 'wan-' || :uid, decode(md5(random()::text) || md5(random()::text), 'hex'), 'localhost', 'discouraged', clock_timestamp() + interval '5 minutes');
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('session', 'pgs-' || :seq, 1, 'session.added', '{"done":["user"]}', 'bench', 'bench-org', clock_timestamp());
insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, sequence, created_at, changed_at, login_name) values ('pgs-' || :seq, 'bench', decode(md5(random()::text) || md5(random()::text), 'hex'), 'k1', 'wan-' || :uid, 'bench-org', clock_timestamp(), 1, clock_timestamp(), clock_timestamp(), 'wan-' || :uid);
COMMIT;
\endpipeline
\startpipeline
BEGIN;
select id, org_id, state, sequence from users where id = 'wan-' || :uid for update;
select s.token_hash, s.sequence, c.challenge, c.expires_at, k.id, k.public_key, k.sign_count from sessions s join webauthn_challenges c on c.purpose = 'login' and c.subject_id = s.id join webauthn_keys k on k.user_id = c.user_id and k.verified where s.id = 'pgs-' || :seq for update of c;
\endpipeline
\startpipeline
update webauthn_keys set sign_count = sign_count + 1, last_used_at = clock_timestamp() where user_id = 'wan-' || :uid;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) select 'user', id, sequence + 1, 'user.human.u2f.token.signcount.changed', '{"signCount": 1}', 'bench', 'bench-org', clock_timestamp() from users where id = 'wan-' || :uid;
update users set sequence = sequence + 1, changed_at = clock_timestamp() where id = 'wan-' || :uid;
delete from webauthn_challenges where purpose = 'login' and subject_id = 'pgs-' || :seq;
update sessions set factors = '{"webAuthN":{"verifiedAt":"2026-12-04T12:00:00.000Z","userVerified": false}}', token_hash = decode(md5(random()::text) || md5(random()::text), 'hex'), sequence = 2, changed_at = clock_timestamp() where id = 'pgs-' || :seq;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('session', 'pgs-' || :seq, 2, 'session.changed', '{"done":["webAuthN"]}', 'bench', 'bench-org', clock_timestamp());
COMMIT;
\endpipeline
