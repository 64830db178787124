-- The event store: append-only, one row per change, written in the same transaction as the
-- state tables it changes. (aggregate_type, aggregate_id, sequence) is unique: two writers that
-- loaded the same version of an aggregate cannot both append its next event.
create table events (
  position        bigint generated always as identity primary key,
  aggregate_type  text        not null,
  aggregate_id    text        not null,
  sequence        bigint      not null check (sequence > 0),
  event_type      text        not null,
  payload         jsonb       not null default '{}'::jsonb,
  creator         text        not null,
  resource_owner  text        not null,
  created_at      timestamptz not null,
  constraint events_aggregate_sequence_key unique (aggregate_type, aggregate_id, sequence)
);
create index events_event_type_idx on events (event_type, position);
create index events_resource_owner_idx on events (resource_owner, position);

create function events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the events table is append-only' using errcode = 'P0001';
end
$$;
create trigger events_append_only before update or delete or truncate on events
  for each statement execute function events_refuse_change();

create table orgs (
  id          text        primary key,
  name        text        not null,
  sequence    bigint      not null,
  created_at  timestamptz not null,
  changed_at  timestamptz not null
);
create unique index orgs_name_key on orgs (lower(name));

create table users (
  id              text        primary key,
  org_id          text        not null references orgs (id),
  username        text        not null,
  given_name      text        not null,
  family_name     text        not null,
  display_name    text        not null,
  email           text,
  email_verified  boolean     not null default false,
  phone           text,
  phone_verified  boolean     not null default false,
  state           text        not null,
  sequence        bigint      not null,
  created_at      timestamptz not null,
  changed_at      timestamptz not null
);
create unique index users_org_username_key on users (org_id, lower(username));
