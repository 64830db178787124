-- The floor of AddOTPEmail (v3alpha, returnCode) for pgbench: the authenticator, its code and the event in one
-- transaction.
-- The event's sequence is the time in µs: it grows for the aggregate, as events_advance_head (V19) requires.
-- Pipelined (pgbench \startpipeline): BEGIN, the writes and COMMIT in one round trip.
\set uid :client_id * 1000 + random(1, 1000)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
insert into otp_authenticators (id, user_id, channel, address, verified, created_at) values ('pga-' || :seq, 'pgb-' || :uid, 'email', 'pga-' || :seq || '@bench.test', false, clock_timestamp());
insert into verification_codes (id, user_id, purpose, target_id, address, code_hash, hash_key_id, expires_at, created_at) values ('pgc-' || :seq, 'pgb-' || :uid, 'VERIFY_OTP_EMAIL', 'pga-' || :seq, 'pga-' || :seq || '@bench.test', decode(md5(random()::text), 'hex'), 'k1', clock_timestamp() + interval '5 minutes', clock_timestamp());
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('user', 'pgb-' || :uid, (extract(epoch from clock_timestamp()) * 1000000)::bigint, 'user.human.otp.email.added', '{}', 'bench', 'bench-org', clock_timestamp());
COMMIT;
\endpipeline
