-- Each running instance leases the 16-bit machine id its Sonyflake ids carry (issue 14).
-- A row is live while expires_at > now() (the database's clock, so instances with skewed clocks
-- agree); an expired or released row is free for the next instance. last_time_unit is the highest
-- id time unit (10 ms since 2019-04-29) the owner may have used: the next owner starts after it.
create table machine_leases (
  machine_id     integer primary key check (machine_id between 0 and 65535),
  owner          text        not null,
  host           text        not null,
  pid            bigint      not null,
  acquired_at    timestamptz not null,
  expires_at     timestamptz not null,
  last_time_unit bigint      not null default 0
);
