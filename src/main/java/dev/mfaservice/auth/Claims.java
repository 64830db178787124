package dev.mfaservice.auth;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link Caller} from verified token claims: {@code sub}, the org claim and the roles
 * claim shaped as ZITADEL's {@code {"ROLE": {"<orgId>": "<orgDomain>"}}}.
 */
public final class Claims {
  private final String rolesClaim;
  private final String orgClaim;

  public Claims(String rolesClaim, String orgClaim) {
    this.rolesClaim = rolesClaim;
    this.orgClaim = orgClaim;
  }

  public Caller toCaller(JsonObject claims) {
    String sub = claims.getValue("sub") instanceof String s ? s : null;
    if (sub == null || sub.isBlank()) {
      throw ApiError.unauthenticated("the token has no subject");
    }
    Map<String, Set<String>> roles = new HashMap<>();
    if (claims.getValue(rolesClaim) instanceof JsonObject granted) {
      for (String role : granted.fieldNames()) {
        Set<String> orgs = new HashSet<>();
        if (granted.getValue(role) instanceof JsonObject byOrg) {
          orgs.addAll(byOrg.fieldNames());
        }
        roles.put(role, Set.copyOf(orgs));
      }
    }
    String org = claims.getValue(orgClaim) instanceof String o ? o : "";
    return new Caller(sub, org, roles);
  }

  public String rolesClaim() {
    return rolesClaim;
  }

  public String orgClaim() {
    return orgClaim;
  }
}
