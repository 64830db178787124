package dev.mfaservice.org;

import dev.mfaservice.errors.ApiError;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL of the orgs table. */
public final class OrgRepository {
  private static final String INSERT = """
    insert into orgs (id, name, sequence, created_at, changed_at) values ($1, $2, $3, $4, $4)
    """;
  private static final String FIND = "select id, name, sequence from orgs where id = $1";
  private static final String LOCK = FIND + " for update";
  private static final String TOUCH = "update orgs set sequence = $2, changed_at = $3 where id = $1";

  public Future<Void> insert(SqlClient tx, String id, String name, Event added) {
    return tx.preparedQuery(INSERT)
      .execute(Tuple.of(id, name, added.sequence(), added.createdAt().atOffset(ZoneOffset.UTC)))
      .recover(SqlErrors.onUnique("orgs_name_key",
        () -> ApiError.alreadyExists("ORG-nameTaken", "An organization with this name already exists")))
      .mapEmpty();
  }

  public Future<Optional<Org>> find(SqlClient client, String id) {
    return client.preparedQuery(FIND).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toOrg(rows.iterator().next())));
  }

  /** The org, locked until the transaction ends: changes to one org run one after another. */
  public Future<Optional<Org>> lockForChange(SqlClient tx, String id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toOrg(rows.iterator().next())));
  }

  /** Records that the org aggregate has a new newest event. */
  public Future<Void> touch(SqlClient tx, String id, Event event) {
    return tx.preparedQuery(TOUCH).execute(Tuple.of(id, event.sequence(), event.createdAt().atOffset(ZoneOffset.UTC)))
      .mapEmpty();
  }

  private static Org toOrg(Row row) {
    return new Org(row.getString("id"), row.getString("name"), row.getLong("sequence"));
  }
}
