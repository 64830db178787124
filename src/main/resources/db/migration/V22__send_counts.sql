-- Send limits by counters (issue 29): the wide keys of a send (SMS number prefix, country calling code, caller, end-user
-- IP; limits up to millions an hour) were counted over the outbox rows of the last hour, a cost growing with the
-- hour's sends under the key. They are now counts per key and minute: a code's outbox row adds one to its minute's row
-- under each key (one of four shards, by user), and a check sums at most 61 minutes' rows per key. A row's last_at is
-- its newest send: a minute's row counts while that is within the hour (a send may count up to a minute longer than an
-- hour, never shorter). The narrow keys (address, user: at most 10,000 an hour, 10 by default) are still counted from
-- the outbox under the address's lock.
create table send_counts (
  kind    text        not null,
  key     text        not null,
  minute  timestamptz not null,
  shard   smallint    not null,
  hits    int         not null,
  last_at timestamptz not null,
  primary key (kind, key, minute, shard)
);
-- Retention deletes minutes no check reads any more.
create index send_counts_minute_idx on send_counts (minute);
alter table send_counts set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0, fillfactor = 70);

-- The counting is the database's, at COMMIT (a deferred trigger): a send's count rows are locked only from its
-- transaction's commit to its end, after every lock the transaction waits on (the address's advisory lock of each of
-- its sends), so no transaction holds a count row while it waits for another; each send's keys in one order. Every
-- instance's sends count, a release before this one's too (its outbox insert fires the trigger) while replicas are
-- upgraded one by one. Notices of factor changes are no codes: they do not count.
create function send_counts_add() returns trigger language plpgsql as $$
begin
  insert into send_counts as c (kind, key, minute, shard, hits, last_at)
  select k.kind, k.key, date_trunc('minute', new.created_at), hashtext(new.user_id) & 3, 1, new.created_at
  from (values ('caller', new.caller_id), ('country', new.country_code::text), ('ip', new.end_user_ip),
               ('prefix', new.recipient_prefix)) as k(kind, key)
  where k.key is not null
  order by k.kind
  on conflict (kind, key, minute, shard) do update set hits = c.hits + 1, last_at = greatest(c.last_at, excluded.last_at);
  return null;
end
$$;
create constraint trigger outbox_send_counted after insert on outbox deferrable initially deferred for each row
  when (new.template not like 'notice\_%') execute function send_counts_add();

-- The last hour's sends, so that an upgrade starts with the counts the outbox had.
insert into send_counts (kind, key, minute, shard, hits, last_at)
select k.kind, k.key, date_trunc('minute', o.created_at), hashtext(o.user_id) & 3, count(*), max(o.created_at)
from outbox o
cross join lateral (values ('prefix', o.recipient_prefix), ('country', o.country_code::text), ('caller', o.caller_id),
                           ('ip', o.end_user_ip)) as k(kind, key)
where o.created_at > now() - interval '61 minutes' and o.template not like 'notice\_%' and k.key is not null
group by 1, 2, 3, 4;

-- The outbox's indexes on the wide keys (outbox_prefix_idx, outbox_country_idx, outbox_caller_idx, outbox_ip_idx) are
-- read by this release no more, but by the one before it while replicas are upgraded one by one: a later migration
-- drops them (expand, then contract).
