-- The floor of VerifyTOTPRegistration for pgbench: read the factor (locked), mark it verified at the step, append
-- the event, in one transaction.
-- The event's sequence is the time in µs: it grows for the aggregate, as events_advance_head (V19) requires.
-- Pipelined (pgbench \startpipeline): the reads in one round trip, the writes with COMMIT in one more.
\set uid :client_id * 1000 + random(1, 1000)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
select secret_sealed, verified, last_used_step from totp_factors where user_id = 'pgb-' || :uid for update;
\endpipeline
\startpipeline
update totp_factors set verified = true, last_used_step = last_used_step + 1 where user_id = 'pgb-' || :uid;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('user', 'pgb-' || :uid, (extract(epoch from clock_timestamp()) * 1000000)::bigint, 'user.human.otp.verified', '{}', 'bench', 'bench-org', clock_timestamp());
COMMIT;
\endpipeline
