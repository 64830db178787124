package dev.mfaservice.ids;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * SQL of the machine id leases. Taking one is a single statement: the lowest candidate with no
 * live row is inserted, or its expired row taken over; two instances racing for the same id
 * meet at the primary key, and the loser gets no row back (and tries again).
 */
final class MachineLeaseRepository {
  private static final String CLAIM = """
    insert into machine_leases (machine_id, owner, host, pid, acquired_at, expires_at)
    select candidate, $1, $2, $3, now(), now() + $4::integer * interval '1 second'
    from generate_series($5::integer, $6::integer) as candidate
    where not exists (select 1 from machine_leases l where l.machine_id = candidate and l.expires_at > now())
    order by candidate
    limit 1
    on conflict (machine_id) do update
      set owner = excluded.owner, host = excluded.host, pid = excluded.pid, acquired_at = excluded.acquired_at,
          expires_at = excluded.expires_at
      where machine_leases.expires_at <= now()
    returning machine_id, last_time_unit
    """;
  private static final String LIVE = """
    select count(*) as live, min(host) as host, min(pid) as pid, max(expires_at) as until
    from machine_leases where machine_id between $1 and $2 and expires_at > now()
    """;
  private static final String RENEW = """
    update machine_leases set expires_at = now() + $3::integer * interval '1 second', last_time_unit = greatest(last_time_unit, $4)
    where machine_id = $1 and owner = $2
    returning last_time_unit
    """;
  private static final String RELEASE = """
    update machine_leases set expires_at = least(expires_at, now()), last_time_unit = $3
    where machine_id = $1 and owner = $2
    """;

  /** An id taken, and the last time unit its previous owner may have used (0 for a new row). */
  record Claimed(int machineId, long lastTimeUnit) {
  }

  /** The live leases among some ids, and one holder to name. */
  record Live(long count, String host, long pid, OffsetDateTime until) {
  }

  Future<Optional<Claimed>> claim(SqlClient db, LeaseOwner owner, int leaseSeconds, int from, int to) {
    return db.preparedQuery(CLAIM).execute(Tuple.of(owner.id(), owner.host(), owner.pid(), leaseSeconds, from, to))
      .map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new Claimed(rows.iterator().next().getInteger("machine_id"),
          rows.iterator().next().getLong("last_time_unit"))));
  }

  Future<Live> live(SqlClient db, int from, int to) {
    return db.preparedQuery(LIVE).execute(Tuple.of(from, to)).map(rows -> {
      Row r = rows.iterator().next();
      return new Live(r.getLong("live"), r.getString("host"), r.getLong("pid") == null ? 0 : r.getLong("pid"),
        r.getOffsetDateTime("until"));
    });
  }

  /** Extends a lease this owner still holds and raises its time-unit mark; empty = another owner has it now. */
  Future<Optional<Long>> renew(SqlClient db, int machineId, String owner, int leaseSeconds, long timeUnitCeiling) {
    return db.preparedQuery(RENEW).execute(Tuple.of(machineId, owner, leaseSeconds, timeUnitCeiling))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
  }

  /** Frees the id at once, leaving the exact last time unit used for the next owner. */
  Future<Void> release(SqlClient db, int machineId, String owner, long lastTimeUnit) {
    return db.preparedQuery(RELEASE).execute(Tuple.of(machineId, owner, lastTimeUnit)).mapEmpty();
  }
}
