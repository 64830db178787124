-- ONLY=scale's instance (bench/run, issue 29 part 4 "Flat as the data grows"), loaded straight into PostgreSQL after
-- the service's Flyway migrations: :users sign-in users sgn-1.. (verified email and phone, their OTP email and SMS
-- authenticators, as bench/seed.sql's; their TOTP factors are loaded afterwards from the load client's seed-totp),
-- :register users svc-1.. without factors (RegisterTOTP's), :sessions sessions of the sign-in users and :events events
-- in all: two per session (session.added, session.changed), the rest spread over the users (at least two each). The
-- history spans the last six months in monthly partitions (as a database the service has run for six months has:
-- V19's partitioning, retention.events-partition=month), each aggregate's head in event_heads.
-- A bulk load: triggers and foreign-key checks off (session_replication_role; the heads are written here instead of by
-- the events' trigger), the secondary indexes of events and sessions built after the rows.
\set ON_ERROR_STOP 1
set session_replication_role = replica;
set maintenance_work_mem = '512MB';
set synchronous_commit = off;
select greatest(2, round((:events - 2 * :sessions - :register)::numeric / :users))::int as uev \gset
select date_trunc('month', now() at time zone 'UTC') at time zone 'UTC' - interval '6 months' as history_start \gset

-- monthly partitions: the six past months and the three ahead (the migration's legacy partition ends before them)
begin;
select format('drop table %I', name) from event_partitions where name <> 'events_legacy' \gexec
alter table events detach partition events_legacy;
alter table events attach partition events_legacy for values from (minvalue) to (:'history_start');
commit;
select events_create_partitions('1 month', now() + interval '3 months');

create temp table saved_indexes as
  select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index
  where indrelid in ('events'::regclass, 'sessions'::regclass) and not indisprimary;
select format('drop index %s', name) from saved_indexes \gexec

insert into orgs (id, name, sequence, created_at, changed_at) values ('bench-org', 'Bench', 1, :'history_start', now());
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  values ('org', 'bench-org', 1, 'org.added', '{"name":"Bench"}', 'bench', 'bench-org', :'history_start');
insert into event_heads values ('org', 'bench-org', 1);
insert into second_factor_policies (owner_id, factors)
  values ('bench-org', array['SECOND_FACTOR_TYPE_OTP', 'SECOND_FACTOR_TYPE_OTP_EMAIL', 'SECOND_FACTOR_TYPE_OTP_SMS',
                       'SECOND_FACTOR_TYPE_U2F']);

-- users joined over the six months, in id order
insert into users (id, org_id, username, given_name, family_name, display_name, email, email_verified, phone,
                   phone_verified, state, sequence, created_at, changed_at)
  select 'sgn-' || n, 'bench-org', 'sgn-' || n, 'Bench', 'User', 'Bench User', 'sgn-' || n || '@bench.test', true,
         '+4176' || lpad(n::text, 7, '0'), true, 'USER_STATE_ACTIVE', :uev,
         :'history_start'::timestamptz + interval '180 days' * n / :users, now()
  from generate_series(1, :users) n;
insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
  select 'svc-' || n, 'bench-org', 'svc-' || n, 'Bench', 'User', 'Bench User', 'USER_STATE_ACTIVE', 1, now(), now()
  from generate_series(1, :register) n;
insert into otp_authenticators (id, user_id, channel, address, verified, created_at)
  select 'sgn-' || c || '-' || n, 'sgn-' || n, ch, null, false, now()
  from generate_series(1, :users) n, (values ('mail', 'email'), ('sms', 'sms')) as a(c, ch);

-- the users' events: added, the TOTP verified, then sign-in checks (user.human.mfa.check.succeeded-like)
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', 'sgn-' || n, s,
         case s when 1 then 'user.human.added' when 2 then 'user.human.otp.verified' else 'user.human.otp.check.succeeded' end,
         jsonb_build_object('userId', 'sgn-' || n), 'bench', 'bench-org',
         least(now(), :'history_start'::timestamptz + interval '180 days' * n / :users + interval '1 hour' * s)
  from generate_series(1, :users) n, generate_series(1, :uev) s;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', 'svc-' || n, 1, 'user.human.added', '{}', 'bench', 'bench-org', now() from generate_series(1, :register) n;
insert into event_heads
  select 'user', 'sgn-' || n, :uev from generate_series(1, :users) n
  union all select 'user', 'svc-' || n, 1 from generate_series(1, :register) n;

-- sessions over the six months, each of a user spread over all (7919 is prime), alive (half without an expiry, half
-- expiring within 30 days: the retention job has none to delete), with their two events
insert into sessions (id, creator, token_hash, token_key_id, user_id, org_id, user_verified_at, sequence, created_at,
                      changed_at, expires_at, login_name, factors)
  select 'ses-' || lpad(n::text, 10, '0'), 'bench', sha256(('token-' || n)::bytea), 'k1',
         'sgn-' || (1 + (n::bigint * 7919) % :users), 'bench-org', t, 2, t, t,
         case when n % 2 = 0 then now() + interval '30 days' * (n % 1000) / 1000 + interval '1 minute' end,
         'sgn-' || (1 + (n::bigint * 7919) % :users),
         jsonb_build_object('user', jsonb_build_object('verifiedAt', t), 'totp', jsonb_build_object('verifiedAt', t))
  from generate_series(1, :sessions) n,
       lateral (select :'history_start'::timestamptz + interval '180 days' * n / :sessions as t) at;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'session', 'ses-' || lpad(n::text, 10, '0'), s, case s when 1 then 'session.added' else 'session.changed' end,
         jsonb_build_object('userId', 'sgn-' || (1 + (n::bigint * 7919) % :users)), 'bench', 'bench-org',
         :'history_start'::timestamptz + interval '180 days' * n / :sessions
  from generate_series(1, :sessions) n, generate_series(1, 2) s;
insert into event_heads select 'session', 'ses-' || lpad(n::text, 10, '0'), 2 from generate_series(1, :sessions) n;

-- what else grows with the users, as a service kept by its retention defaults holds it: failed checks outstanding
-- (1 % of the users, of a factor the scenarios do not check), a week of sent emails (the outbox keeps finished rows
-- 7 days; half a send per user) and a day of used codes (verification codes kept a day past their expiry; a tenth)
insert into failed_checks (user_id, factor_type, failed)
  select 'sgn-' || n, 'SECOND_FACTOR_TYPE_OTP_SMS', 1 from generate_series(1, :users, 100) n;
insert into outbox (id, channel, user_id, org_id, recipient, template, language, status, attempts, next_attempt_at,
                    expires_at, created_at, sent_at)
  select 'obx-' || n, 'email', 'sgn-' || u, 'bench-org', 'sgn-' || u || '@bench.test', 'otp', 'en', 'sent', 1, t,
         t + interval '10 minutes', t, t
  from generate_series(1, :users / 2) n, lateral (select 1 + (n::bigint * 7919) % :users as u,
       now() - interval '7 days' * (1 - n::numeric / (:users / 2)) as t) x;
insert into verification_codes (id, user_id, purpose, target_id, address, code_hash, hash_key_id, expires_at, used_at,
                                created_at)
  select 'vc-' || n, 'sgn-' || u, 'LOGIN_EMAIL', 'sgn-mail-' || u, 'sgn-' || u || '@bench.test', sha256(('code-' || n)::bytea),
         'k1', t + interval '5 minutes', t + interval '1 minute', t
  from generate_series(1, :users / 10) n, lateral (select 1 + (n::bigint * 7919) % :users as u,
       now() - interval '1 day' * (1 - n::numeric / (:users / 10)) as t) x;

select def from saved_indexes \gexec
