-- Send limits by counters (issue 29): the wide keys of a send (SMS number prefix, country calling code, caller, end-user
-- IP; limits up to millions an hour) were counted over the outbox rows of the last hour, a cost growing with the
-- hour's sends under the key. They are now counts per key and minute: a send adds one to its minute's row under each
-- key (one of a few shards, chosen per send, so that concurrent sends to one country do not all wait on one row), and
-- a check sums at most 61 minutes' rows per key. A row's last_at is its newest send: a minute's row counts while that
-- is within the hour (a send may count up to a minute longer than an hour, never shorter). The narrow keys (address,
-- user: at most 10,000 an hour, 10 by default) are still counted from the outbox under the address's lock.
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
alter table send_counts set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);

-- The last hour's sends, so that an upgrade starts with the counts the outbox had (notices never counted).
insert into send_counts (kind, key, minute, shard, hits, last_at)
select k.kind, k.key, date_trunc('minute', o.created_at), 0, count(*), max(o.created_at)
from outbox o
cross join lateral (values ('prefix', o.recipient_prefix), ('country', o.country_code::text), ('caller', o.caller_id),
                           ('ip', o.end_user_ip)) as k(kind, key)
where o.created_at > now() - interval '61 minutes' and o.template not like 'notice\_%' and k.key is not null
group by 1, 2, 3;

-- Only the send limits read these.
drop index outbox_prefix_idx;
drop index outbox_country_idx;
drop index outbox_caller_idx;
drop index outbox_ip_idx;
