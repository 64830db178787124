-- Twilio Verify v2 Entities, Factors (totp) and Challenges (totp) (issue 28). An Entity (YE) is an app's user within a
-- Service, named by its Identity; deleting it or its Service removes its factors and challenges. A factor's secret is
-- sealed with the keyring (bound to the factor's sid, SEC S1), never kept in clear; last_used_step is the newest time
-- step accepted for the factor, by its verification or any of its challenges: a code for it or an older one is a
-- replay (SEC T5, as totp_factors). Wrong codes are counted on the factor (unverified) and on the challenge.
-- Every write locks the Entity's row first: the changes of one Entity run one after another.
create table verify_entities (
  sid          text        primary key,
  org_id       text        not null references orgs (id),
  service_sid  text        not null references verify_services (sid) on delete cascade,
  account_sid  text        not null,
  identity     text        not null,
  sequence     bigint      not null,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  unique (service_sid, identity)
);
create index verify_entities_page_idx on verify_entities (service_sid, created_at, sid);

create table verify_factors (
  sid             text        primary key,
  entity_sid      text        not null references verify_entities (sid) on delete cascade,
  friendly_name   text        not null,
  factor_type     text        not null,
  status          text        not null,
  secret_sealed   bytea       not null,
  algorithm       text        not null,
  digits          int         not null,
  time_step       int         not null,
  skew            int         not null,
  last_used_step  bigint      not null default 0,
  failed_checks   int         not null default 0,
  metadata        jsonb,
  sequence        bigint      not null,
  created_at      timestamptz not null,
  updated_at      timestamptz not null
);
create index verify_factors_page_idx on verify_factors (entity_sid, created_at, sid);

create table verify_challenges (
  sid             text        primary key,
  entity_sid      text        not null references verify_entities (sid) on delete cascade,
  factor_sid      text        not null references verify_factors (sid) on delete cascade,
  status          text        not null,
  failed_checks   int         not null default 0,
  details         jsonb,
  hidden_details  jsonb,
  metadata        jsonb,
  expires_at      timestamptz not null,
  responded_at    timestamptz,
  sequence        bigint      not null,
  created_at      timestamptz not null,
  updated_at      timestamptz not null
);
create index verify_challenges_page_idx on verify_challenges (entity_sid, created_at, sid);
create index verify_challenges_factor_idx on verify_challenges (factor_sid);
