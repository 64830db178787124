package dev.mfaservice.org;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.org.PolicyRepository.Effective;
import dev.mfaservice.org.PolicyRepository.Lockout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;
import java.util.List;
import java.util.function.Function;

/**
 * HTTP handlers of the login-policy second factors and the lockout policy: management v1 on
 * the org of {@code x-zitadel-orgid} (default: the caller's org), admin v1 on the instance default.
 */
public final class PolicyRoutes {
  private static final String ORG_HEADER = "x-zitadel-orgid";
  private final LoginPolicyCommands login;
  private final LockoutPolicyCommands lockout;
  private final PolicyQueries queries;

  public PolicyRoutes(LoginPolicyCommands login, LockoutPolicyCommands lockout, PolicyQueries queries) {
    this.login = login;
    this.lockout = lockout;
    this.queries = queries;
  }

  public void mount(ApiRouter api) {
    api.on("ManagementService_AddSecondFactorToLoginPolicy", ctx -> addSecondFactor(ctx, orgScope(ctx)))
      .on("ManagementService_ListLoginPolicySecondFactors", ctx -> listSecondFactors(ctx, orgScope(ctx)))
      .on("ManagementService_RemoveSecondFactorFromLoginPolicy", ctx -> removeSecondFactor(ctx, orgScope(ctx)))
      .on("AdminService_AddSecondFactorToLoginPolicy", ctx -> addSecondFactor(ctx, PolicyScope.DEFAULT))
      .on("AdminService_ListLoginPolicySecondFactors", ctx -> listSecondFactors(ctx, PolicyScope.DEFAULT))
      .on("AdminService_RemoveSecondFactorFromLoginPolicy", ctx -> removeSecondFactor(ctx, PolicyScope.DEFAULT))
      .on("ManagementService_GetLockoutPolicy", ctx -> getLockout(ctx, orgScope(ctx)))
      .on("ManagementService_AddCustomLockoutPolicy",
        ctx -> ctx.okDetails(lockout.addCustom(ctx.caller(), orgScope(ctx), lockoutOf(ctx))))
      .on("ManagementService_UpdateCustomLockoutPolicy",
        ctx -> ctx.okDetails(lockout.change(ctx.caller(), orgScope(ctx), lockoutOf(ctx))))
      .on("ManagementService_ResetLockoutPolicyToDefault",
        ctx -> ctx.okDetails(lockout.resetToDefault(ctx.caller(), orgScope(ctx))))
      .on("AdminService_GetLockoutPolicy", ctx -> getLockout(ctx, PolicyScope.DEFAULT))
      .on("AdminService_UpdateLockoutPolicy",
        ctx -> ctx.okDetails(lockout.change(ctx.caller(), PolicyScope.DEFAULT, lockoutOf(ctx))));
  }

  private void addSecondFactor(ApiCall ctx, PolicyScope scope) {
    SecondFactorType type = SecondFactorType.parse(ctx.request().body().getValue("type"), "type");
    ctx.okDetails(login.addSecondFactor(ctx.caller(), scope, type));
  }

  private void removeSecondFactor(ApiCall ctx, PolicyScope scope) {
    SecondFactorType type = SecondFactorType.parse(ctx.request().parameter("type"), "type");
    ctx.okDetails(login.removeSecondFactor(ctx.caller(), scope, type));
  }

  private void listSecondFactors(ApiCall ctx, PolicyScope scope) {
    ctx.ok(queries.secondFactors(ctx.caller(), scope), PolicyRoutes::secondFactorsJson);
  }

  private void getLockout(ApiCall ctx, PolicyScope scope) {
    ctx.ok(queries.lockout(ctx.caller(), scope), lockoutJson(scope));
  }


  /** The org of a management call: the header if given, else the caller's own org. */
  private static PolicyScope orgScope(ApiCall ctx) {
    String header = ctx.request().parameter(ORG_HEADER);
    Caller caller = ctx.caller();
    String org = header != null ? header : caller.orgId();
    if (org == null || org.isEmpty()) {
      throw ApiError.invalidArgument("API-orgMissing", "no organization: send the x-zitadel-orgid header");
    }
    return new PolicyScope(org);
  }

  private static Lockout lockoutOf(ApiCall ctx) {
    JsonObject body = ctx.request().body();
    return new Lockout(body.getInteger("maxPasswordAttempts", 0), body.getInteger("maxOtpAttempts", 0));
  }

  private static JsonObject secondFactorsJson(Effective<List<SecondFactorType>> effective) {
    JsonArray result = new JsonArray(effective.value().stream().map(Enum::name).toList());
    return new JsonObject().put("details", new JsonObject().put("totalResult", Integer.toString(result.size())))
      .put("result", result);
  }

  private static Function<Effective<Lockout>, JsonObject> lockoutJson(PolicyScope scope) {
    return effective -> {
      JsonObject policy = new JsonObject()
        .put("details", new JsonObject().put("resourceOwner", scope.isDefault() ? PolicyScope.INSTANCE : scope.orgId()))
        .put("maxPasswordAttempts", Integer.toString(effective.value().maxPasswordAttempts()))
        .put("maxOtpAttempts", Integer.toString(effective.value().maxOtpAttempts()));
      if (effective.inherited() || scope.isDefault()) {
        policy.put("isDefault", true);
      }
      return new JsonObject().put("policy", policy);
    };
  }
}
