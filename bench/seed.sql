-- Bench data: one org; users svc-1.. for the service's enrolment scenarios, pgb-1.. for pgbench's, and
-- sgn-1..:signin for sign-ins (a verified email and phone, +4176 and n in 7 digits, with their OTP email and SMS
-- authenticators; their TOTP factors are
-- loaded afterwards from the load client's seed-totp (dev.mfaservice.bench.LoadClient), which seals the secrets as the service does), and
-- wan-1..:webauthn for security-key sign-ins (their keys are enrolled afterwards through the API, by
-- the load client's enrol-webauthn).
insert into orgs (id, name, sequence, created_at, changed_at) values ('bench-org', 'Bench', 1, now(), now());
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  values ('org', 'bench-org', 1, 'org.added', '{"name":"Bench"}', 'bench', 'bench-org', now());
insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
  select p || n, 'bench-org', p || n, 'Bench', 'User', 'Bench User', 'USER_STATE_ACTIVE', 1, now(), now()
  from generate_series(1, :users) n, (values ('svc-'), ('pgb-')) as prefix(p);
insert into users (id, org_id, username, given_name, family_name, display_name, email, email_verified, phone,
                   phone_verified, state, sequence, created_at, changed_at)
  select 'sgn-' || n, 'bench-org', 'sgn-' || n, 'Bench', 'User', 'Bench User', 'sgn-' || n || '@bench.test', true,
         '+4176' || lpad(n::text, 7, '0'), true, 'USER_STATE_ACTIVE', 2, now(), now()
  from generate_series(1, :signin) n;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', p || n, 1, 'user.human.added', '{}', 'bench', 'bench-org', now()
  from generate_series(1, :users) n, (values ('svc-'), ('pgb-')) as prefix(p);
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', 'sgn-' || n, s, t, '{}', 'bench', 'bench-org', now()
  from generate_series(1, :signin) n, (values (1, 'user.human.added'), (2, 'user.human.otp.verified')) as e(s, t);
insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
  select 'wan-' || n, 'bench-org', 'wan-' || n, 'Bench', 'User', 'Bench User', 'USER_STATE_ACTIVE', 1, now(), now()
  from generate_series(1, :webauthn) n;
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', 'wan-' || n, 1, 'user.human.added', '{}', 'bench', 'bench-org', now() from generate_series(1, :webauthn) n;
insert into otp_authenticators (id, user_id, channel, address, verified, created_at)
  select 'sgn-' || c || '-' || n, 'sgn-' || n, ch, null, false, now()
  from generate_series(1, :signin) n, (values ('mail', 'email'), ('sms', 'sms')) as a(c, ch);
insert into second_factor_policies (owner_id, factors)
  values ('bench-org', array['SECOND_FACTOR_TYPE_OTP', 'SECOND_FACTOR_TYPE_OTP_EMAIL', 'SECOND_FACTOR_TYPE_OTP_SMS',
                       'SECOND_FACTOR_TYPE_U2F']);
