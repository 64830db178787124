package dev.mfaservice.factors;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.List;

/** One kind of second factor's part of a user's factor list; each factor package registers one. */
public interface FactorSource {
  Future<List<UserFactor>> factorsOf(SqlClient client, String userId);
}
