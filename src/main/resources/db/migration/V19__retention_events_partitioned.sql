-- Retention (issue 29 part 5). The events table becomes partitioned by created_at, so that old partitions can be
-- detached and archived (or dropped) instead of deleted row by row; dead rows of the other tables are deleted by the
-- retention job (dev.mfaservice.retention) in small batches. Works on an existing database: the old table, with all
-- its rows and positions, becomes the first partition (events_legacy) as it is, no row copied.
--
-- The guarantee every command relies on, "two writers cannot both append event N of an aggregate", was the unique key
-- (aggregate_type, aggregate_id, sequence). A partitioned table's unique keys must include the partition key, so it
-- moves to event_heads: one row per aggregate, its newest sequence, not partitioned. A row trigger on events advances
-- the head in the statement that inserts the event (no extra round trip) and refuses a sequence not above the head
-- with the same error as the unique key (23505, constraint events_aggregate_sequence_key). Two writers of event N: the
-- second waits on the head row as it waited on the unique index, then is refused. Sequences of an aggregate only ever
-- grow, so none repeats, even once the partitions holding its old events are archived.

create table event_heads (
  aggregate_type  text   not null,
  aggregate_id    text   not null,
  sequence        bigint not null,
  primary key (aggregate_type, aggregate_id)
);
insert into event_heads (aggregate_type, aggregate_id, sequence)
  select aggregate_type, aggregate_id, max(sequence) from events group by aggregate_type, aggregate_id;

-- The old table, its rows untouched, ready to be a partition: names freed for the new parent, position a plain column
-- (the parent's identity numbers new rows, after the old ones).
drop trigger events_append_only on events;
alter table events rename to events_legacy;
alter table events_legacy drop constraint events_aggregate_sequence_key;
alter table events_legacy drop constraint events_pkey;
alter table events_legacy alter column position drop identity;
alter index events_event_type_idx rename to events_legacy_event_type_idx;
alter index events_resource_owner_idx rename to events_legacy_resource_owner_idx;

create table events (
  position        bigint generated always as identity,
  aggregate_type  text        not null,
  aggregate_id    text        not null,
  sequence        bigint      not null constraint events_sequence_check check (sequence > 0),
  event_type      text        not null,
  payload         jsonb       not null default '{}'::jsonb,
  creator         text        not null,
  resource_owner  text        not null,
  created_at      timestamptz not null,
  primary key (position, created_at)
) partition by range (created_at);
create index events_aggregate_idx on events (aggregate_type, aggregate_id, sequence);
create index events_event_type_idx on events (event_type, position);
create index events_resource_owner_idx on events (resource_owner, position);
create index events_created_at_idx on events (created_at);

do $$
declare
  next_position bigint := (select coalesce(max(position), 0) + 1 from events_legacy);
  -- the legacy partition holds everything before the next month's start (of now, or of the newest row if later)
  bound timestamptz := date_trunc('month', greatest(now(), (select max(created_at) from events_legacy)) at time zone 'UTC')
    at time zone 'UTC' + interval '1 month';
begin
  execute format('alter table events alter column position restart with %s', next_position);
  execute format('alter table events attach partition events_legacy for values from (minvalue) to (%L)', bound);
end
$$;

create or replace function events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the events table is append-only: old events leave by detaching their partition' using errcode = 'P0001';
end
$$;
-- Statement triggers are not inherited: the parent's refuse statements on events, each partition's (below) on it.
create trigger events_append_only before update or delete or truncate on events
  for each statement execute function events_refuse_change();
create trigger events_append_only before update or delete or truncate on events_legacy
  for each statement execute function events_refuse_change();

create function events_advance_head() returns trigger language plpgsql as $$
begin
  insert into event_heads as h (aggregate_type, aggregate_id, sequence)
    values (new.aggregate_type, new.aggregate_id, new.sequence)
    on conflict (aggregate_type, aggregate_id) do update set sequence = excluded.sequence
    where h.sequence < excluded.sequence;
  if not found then
    raise exception 'duplicate key value violates unique constraint "events_aggregate_sequence_key"'
      using errcode = 'unique_violation', constraint = 'events_aggregate_sequence_key', table = 'events';
  end if;
  return new;
end
$$;
create trigger events_head before insert on events for each row execute function events_advance_head();

-- The partitions of events, each with the end of its range (exclusive): the oldest ones are those to archive.
create view event_partitions as
  select c.relname::text as name,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz as upper_bound
  from pg_inherits i join pg_class c on c.oid = i.inhrelid
  where i.inhparent = 'events'::regclass;

-- Creates the partitions that cover [the newest partition's end, until): each one step wide ('1 month', '1 day',
-- '1 hour', '1 minute'), append-only like the rest. Returns how many it created. Called by the retention job, ahead.
create function events_create_partitions(step interval, until timestamptz) returns integer language plpgsql as $$
declare
  made integer := 0;
  low timestamptz;
  high timestamptz;
  name text;
begin
  select max(upper_bound) into low from event_partitions;
  while low < until loop
    high := low + step;
    name := 'events_p' || to_char(low at time zone 'UTC', 'YYYYMMDD"t"HH24MI');
    execute format('create table %I partition of events for values from (%L) to (%L)', name, low, high);
    execute format('create trigger events_append_only before update or delete or truncate on %I '
      || 'for each statement execute function events_refuse_change()', name);
    made := made + 1;
    low := high;
  end loop;
  return made;
end
$$;
select events_create_partitions('1 month', now() + interval '3 months');

-- What the retention job's batches look for, so that each finds its next rows without reading the table.
create index sessions_expires_idx on sessions (expires_at) where expires_at is not null;
create index verification_codes_expires_idx on verification_codes (expires_at);
create index webauthn_challenges_expires_idx on webauthn_challenges (expires_at);
create index outbox_finished_idx on outbox (created_at) where status <> 'pending';
create index verify_verifications_expires_idx on verify_verifications (expires_at);
