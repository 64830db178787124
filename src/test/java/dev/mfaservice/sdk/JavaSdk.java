package dev.mfaservice.sdk;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mfaservice.sdk.java.api.ContactApi;
import dev.mfaservice.sdk.java.api.LockoutPolicyApi;
import dev.mfaservice.sdk.java.api.LoginPolicyApi;
import dev.mfaservice.sdk.java.api.OrganizationsApi;
import dev.mfaservice.sdk.java.api.OtpEmailApi;
import dev.mfaservice.sdk.java.api.OtpSmsApi;
import dev.mfaservice.sdk.java.api.RecoveryCodesApi;
import dev.mfaservice.sdk.java.api.SecurityKeysApi;
import dev.mfaservice.sdk.java.api.SessionsApi;
import dev.mfaservice.sdk.java.api.TotpApi;
import dev.mfaservice.sdk.java.api.UsersApi;
import dev.mfaservice.sdk.java.client.ApiClient;
import dev.mfaservice.sdk.java.client.ApiException;
import dev.mfaservice.sdk.java.model.AddHumanUserRequest;
import dev.mfaservice.sdk.java.model.AddOrganizationRequest;
import dev.mfaservice.sdk.java.model.ErrorResponse;
import dev.mfaservice.sdk.java.model.Organization;
import dev.mfaservice.sdk.java.model.SetHumanEmail;
import dev.mfaservice.sdk.java.model.SetHumanPhone;
import dev.mfaservice.sdk.java.model.SetHumanProfile;
import dev.mfaservice.sdk.java.model.VerifyCodeRequest;
import dev.mfaservice.support.Rfc6238;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * The generated Java SDK (okhttp-gson) as a user sets it up: one {@link ApiClient} per caller,
 * with the service's base path and the caller's bearer token, and the typed API classes on it.
 */
final class JavaSdk {
  final ApiClient client;
  final OrganizationsApi orgs;
  final UsersApi users;
  final TotpApi totp;
  final ContactApi contact;
  final LoginPolicyApi loginPolicy;
  final LockoutPolicyApi lockoutPolicy;
  final OtpEmailApi otpEmail;
  final OtpSmsApi otpSms;
  final SessionsApi sessions;
  final RecoveryCodesApi recoveryCodes;
  final SecurityKeysApi keys;

  JavaSdk(String baseUrl, String token) {
    client = new ApiClient().setBasePath(baseUrl);
    client.setBearerToken(token);
    orgs = new OrganizationsApi(client);
    users = new UsersApi(client);
    totp = new TotpApi(client);
    contact = new ContactApi(client);
    loginPolicy = new LoginPolicyApi(client);
    lockoutPolicy = new LockoutPolicyApi(client);
    otpEmail = new OtpEmailApi(client);
    otpSms = new OtpSmsApi(client);
    sessions = new SessionsApi(client);
    recoveryCodes = new RecoveryCodesApi(client);
    keys = new SecurityKeysApi(client);
  }

  /** AddOrganization with the id the test chose (so tokens can name it before it exists). */
  String addOrg(String orgId, String name) throws ApiException {
    return orgs.organizationServiceAddOrganization(new AddOrganizationRequest().orgId(orgId).name(name)).getOrganizationId();
  }

  /** AddHumanUser with a verified email and a verified phone. */
  String addVerifiedUser(String orgId, String userId, String email, String phone) throws ApiException {
    return users.userServiceAddHumanUser(new AddHumanUserRequest().userId(userId).username(userId)
      .organization(new Organization().orgId(orgId))
      .profile(new SetHumanProfile().givenName("Sdk").familyName("User"))
      .email(new SetHumanEmail().email(email).isVerified(true))
      .phone(new SetHumanPhone().phone(phone).isVerified(true))).getUserId();
  }

  static VerifyCodeRequest code(String code) {
    return new VerifyCodeRequest().code(code);
  }

  /** The TOTP code an authenticator app shows now for this secret. */
  static VerifyCodeRequest totpNow(String secret) {
    return code(Rfc6238.code(secret, System.currentTimeMillis() / 1000));
  }

  /** A refused call, as the SDK reports it: status, headers and the body in the typed error model. */
  record Refusal(int status, Map<String, List<String>> headers, ErrorResponse error) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  static Refusal refused(Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    try {
      return new Refusal(e.getCode(), e.getResponseHeaders(), ErrorResponse.fromJson(e.getResponseBody()));
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }
}
