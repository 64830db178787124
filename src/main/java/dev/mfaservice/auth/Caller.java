package dev.mfaservice.auth;

import java.util.Map;
import java.util.Set;

/**
 * Who is calling: the token's subject, the org it belongs to, and its roles with the org ids
 * each role holds in (SEC A5: ORG_* roles count only for the orgs listed under them); and the end
 * user's IP address where it is known (from a trusted proxy, SEC X3), else null.
 */
public record Caller(String userId, String orgId, Map<String, Set<String>> roles, String endUserIp) {
  public static final String IAM_OWNER = "IAM_OWNER";
  public static final String ORG_OWNER = "ORG_OWNER";
  public static final String ORG_USER_MANAGER = "ORG_USER_MANAGER";

  public Caller {
    roles = Map.copyOf(roles);
  }

  public Caller(String userId, String orgId, Map<String, Set<String>> roles) {
    this(userId, orgId, roles, null);
  }

  /** The same caller acting for an end user at {@code ip} (null = unknown). */
  public Caller withEndUserIp(String ip) {
    return new Caller(userId, orgId, roles, ip);
  }

  public boolean isIamOwner() {
    return roles.containsKey(IAM_OWNER);
  }

  public boolean hasRoleIn(String role, String org) {
    return roles.getOrDefault(role, Set.of()).contains(org);
  }

  /** IAM_OWNER, or ORG_OWNER / ORG_USER_MANAGER of that org: may manage its users and their factors. */
  public boolean mayManageUsersOf(String org) {
    return isIamOwner() || hasRoleIn(ORG_OWNER, org) || hasRoleIn(ORG_USER_MANAGER, org);
  }

  /** IAM_OWNER or ORG_OWNER of that org: may change the org's settings. */
  public boolean mayManageOrg(String org) {
    return isIamOwner() || hasRoleIn(ORG_OWNER, org);
  }

  public boolean isSelf(String user) {
    return userId.equals(user);
  }
}
