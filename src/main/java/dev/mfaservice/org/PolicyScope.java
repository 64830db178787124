package dev.mfaservice.org;

/**
 * Whose policy a call changes: an org's ({@code orgId}) or the instance default (orgId null).
 * Stored under owner id '' for the default; events of the default go to the instance aggregate.
 */
public record PolicyScope(String orgId) {
  public static final PolicyScope DEFAULT = new PolicyScope(null);
  static final String INSTANCE = "instance";

  public boolean isDefault() {
    return orgId == null;
  }

  String ownerId() {
    return isDefault() ? "" : orgId;
  }

  String aggregateType() {
    return isDefault() ? INSTANCE : OrgCommands.AGGREGATE;
  }

  String aggregateId() {
    return isDefault() ? INSTANCE : orgId;
  }

  /** Event types read as ZITADEL's: org.policy.… for an org, instance.policy.… for the default. */
  String eventType(String suffix) {
    return aggregateType() + "." + suffix;
  }
}
