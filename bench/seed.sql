-- Bench data: one org, users svc-1.. for the service's scenarios and pgb-1.. for pgbench.
insert into orgs (id, name, sequence, created_at, changed_at) values ('bench-org', 'Bench', 1, now(), now());
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  values ('org', 'bench-org', 1, 'org.added', '{"name":"Bench"}', 'bench', 'bench-org', now());
insert into users (id, org_id, username, given_name, family_name, display_name, state, sequence, created_at, changed_at)
  select p || n, 'bench-org', p || n, 'Bench', 'User', 'Bench User', 'USER_STATE_ACTIVE', 1, now(), now()
  from generate_series(1, :users) n, (values ('svc-'), ('pgb-')) as prefix(p);
insert into events (aggregate_type, aggregate_id, sequence, event_type, payload, creator, resource_owner, created_at)
  select 'user', p || n, 1, 'user.human.added', '{}', 'bench', 'bench-org', now()
  from generate_series(1, :users) n, (values ('svc-'), ('pgb-')) as prefix(p);
analyze;
insert into second_factor_policies (owner_id, factors)
  values ('bench-org', array['SECOND_FACTOR_TYPE_OTP', 'SECOND_FACTOR_TYPE_OTP_EMAIL', 'SECOND_FACTOR_TYPE_OTP_SMS']);
