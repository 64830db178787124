-- The floor of RegisterTOTP for pgbench: the smallest durable write of a registration, one event and one
-- factor upsert in one transaction (no reads: what the service must at least do, not what it does today).
-- The event's sequence is the time in µs: it grows for the aggregate, as events_advance_head (V19) requires.
-- Pipelined (pgbench \startpipeline): BEGIN, the writes and COMMIT in one round trip.
\set uid :client_id * 1000 + random(1, 1000)
\set seq random(1000000, 1000000000000)
\startpipeline
BEGIN;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('user', 'pgb-' || :uid, (extract(epoch from clock_timestamp()) * 1000000)::bigint, 'user.human.otp.added', '{"algorithm":"SHA1","digits":6,"period":30}', 'bench', 'bench-org', clock_timestamp());
insert into totp_factors (user_id, secret_sealed, algorithm, digits, period_seconds, verified, last_used_step, created_at) values ('pgb-' || :uid, decode(md5(random()::text) || md5(random()::text), 'hex'), 'SHA1', 6, 30, false, 0, clock_timestamp()) on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, last_used_step = 0, created_at = excluded.created_at where totp_factors.verified = false;
COMMIT;
\endpipeline
