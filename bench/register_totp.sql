-- RegisterTOTP's SQL transaction for pgbench: the same statements the service sends, at the
-- same concurrency, each client on users of its own: the database's ceiling for that write.
-- pgbench gets the most favourable schedule: everything after the user row (which \gset needs,
-- and \gset is not allowed in a pipeline) goes out in one pipeline, COMMIT included.
\set uid :client_id * 1000 + random(1, 1000)
BEGIN;
select id, org_id, username, given_name, family_name, display_name, email, email_verified, phone, phone_verified, state, sequence, created_at, changed_at, preferred_language from users where id = 'pgb-' || :uid \gset u_
\startpipeline
select coalesce((select p.factors from second_factor_policies p join users u on p.owner_id = u.org_id where u.id = :u_id), (select factors from second_factor_policies where owner_id = '')) @> array['SECOND_FACTOR_TYPE_OTP']::text[] as allowed;
select user_id, secret_sealed, algorithm, digits, period_seconds, verified, last_used_step, created_at from totp_factors where user_id = :u_id for update;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at) values ('user', :u_id, :u_sequence + 1, 'user.human.otp.added', '{"algorithm":"SHA1","digits":6,"period":30}', 'bench', :u_org_id, clock_timestamp()) returning position;
update users set sequence = :u_sequence + 1, changed_at = clock_timestamp() where id = :u_id;
insert into totp_factors (user_id, secret_sealed, algorithm, digits, period_seconds, verified, last_used_step, created_at) values (:u_id, decode(md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex'), 'SHA1', 6, 30, false, 0, clock_timestamp()) on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, algorithm = excluded.algorithm, digits = excluded.digits, period_seconds = excluded.period_seconds, last_used_step = 0, created_at = excluded.created_at where totp_factors.verified = false;
COMMIT;
\endpipeline
