package dev.mfaservice.sdk;

import static dev.mfaservice.sdk.SeedSteps.check;
import static dev.mfaservice.sdk.SeedSteps.totp;

import dev.mfaservice.sdk.jnative.api.LoginPolicyApi;
import dev.mfaservice.sdk.jnative.api.OperationsApi;
import dev.mfaservice.sdk.jnative.api.OrganizationsApi;
import dev.mfaservice.sdk.jnative.api.OtpEmailApi;
import dev.mfaservice.sdk.jnative.api.OtpSmsApi;
import dev.mfaservice.sdk.jnative.api.SessionsApi;
import dev.mfaservice.sdk.jnative.api.TotpApi;
import dev.mfaservice.sdk.jnative.api.UsersApi;
import dev.mfaservice.sdk.jnative.client.ApiClient;
import dev.mfaservice.sdk.jnative.client.ApiException;
import dev.mfaservice.sdk.jnative.model.*;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.util.List;

/** The seed flows through the Java SDK generated with {@code --library native} (java.net.http), run by SdkMatrixTest. */
final class JavaNativeSdkFlows {
  private JavaNativeSdkFlows() {
  }

  static void run(String baseUrl, String token, String prefix, PrintStream out) {
    // HTTP/1.1: over cleartext, java.net.http's default HTTP/2 upgrades (h2c), and then a large answer
    // (the 93 KB contract) fails now and then with "IOException: closed" (README, Generated SDKs)
    ApiClient client = new ApiClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1),
      ApiClient.createDefaultObjectMapper(), baseUrl);
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    UsersApi users = new UsersApi(client);
    TotpApi totpApi = new TotpApi(client);
    SessionsApi sessions = new SessionsApi(client);
    String org = prefix + "-org";
    String user = prefix + "-user";
    String[] secret = new String[1];
    SeedSteps steps = new SeedSteps(out);
    steps.step("an organization", () -> check(new OrganizationsApi(client).organizationServiceAddOrganization(
      new AddOrganizationRequest().orgId(org).name("Java Native Org")).getOrganizationId().equals(org), "the org id"));
    steps.step("a user with verified email and phone", () -> {
      users.userServiceAddHumanUser(new AddHumanUserRequest().userId(user).username(user)
        .organization(new Organization().orgId(org)).profile(new SetHumanProfile().givenName("Sdk").familyName("User"))
        .email(new SetHumanEmail().email(user + "@sdk.test").isVerified(true))
        .phone(new SetHumanPhone().phone("+41 79 650 00 01").isVerified(true)));
      User read = users.userServiceGetUserByID(user).getUser();
      check(read.getState() == UserState.USER_STATE_ACTIVE, "active: " + read.getState());
      check(Boolean.TRUE.equals(read.getHuman().getEmail().getIsVerified()), "email verified");
    });
    steps.step("TOTP registered and verified with a code computed here", () -> {
      secret[0] = totpApi.userServiceRegisterTOTP(user, new EmptyRequest()).getSecret();
      totpApi.userServiceVerifyTOTPRegistration(user, new VerifyCodeRequest().code(totp(secret[0], 0)));
      List<AuthenticationMethodType> methods = totpApi.userServiceListAuthenticationMethodTypes(user).getAuthMethodTypes();
      check(methods.equals(List.of(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_TOTP)), "methods: " + methods);
    });
    steps.step("the login policy allows OTP email and SMS", () -> {
      LoginPolicyApi policy = new LoginPolicyApi(client);
      List<SecondFactorType> types = List.of(SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL, SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS);
      for (SecondFactorType type : types) {
        policy.managementServiceAddSecondFactorToLoginPolicy(new AddSecondFactorToLoginPolicyRequest().type(type), org);
      }
      List<SecondFactorType> allowed = policy.managementServiceListLoginPolicySecondFactors(org, new EmptyRequest()).getResult();
      check(allowed.containsAll(types), "allowed: " + allowed);
    });
    steps.step("OTP email verified with the returned code", () -> {
      OtpEmailApi otpEmail = new OtpEmailApi(client);
      AddOTPEmailAuthenticatorResponse added = otpEmail.userServiceV3alphaAddOTPEmailAuthenticator(user, new AddOTPEmailAuthenticatorRequest()
        .email(new SetOTPEmailAuthenticator().address("codes@native.test").returnCode(new ReturnCode())));
      otpEmail.userServiceV3alphaVerifyOTPEmailAuthenticator(user, added.getOtpEmailId(), new VerifyCodeRequest().code(added.getVerificationCode()));
    });
    steps.step("OTP SMS verified with the returned code", () -> {
      OtpSmsApi otpSms = new OtpSmsApi(client);
      AddOTPSMSAuthenticatorResponse added = otpSms.userServiceV3alphaAddOTPSMSAuthenticator(user, new AddOTPSMSAuthenticatorRequest()
        .phone(new SetOTPSMSAuthenticator().number("+41 79 650 00 02").returnCode(new ReturnCode())));
      otpSms.userServiceV3alphaVerifyOTPSMSAuthenticator(user, added.getOtpSmsId(), new VerifyCodeRequest().code(added.getVerificationCode()));
    });
    steps.step("a session signed in with a TOTP check", () -> {
      CreateSessionResponse created = sessions.sessionServiceCreateSession(new CreateSessionRequest()
        .checks(new Checks().user(new CheckUser().userId(user))));
      // the next step's code: the enrolment spent this one (a replay is refused)
      SetSessionResponse checked = sessions.sessionServiceSetSession(created.getSessionId(), new SetSessionRequest()
        .sessionToken(created.getSessionToken()).checks(new Checks().totp(new CheckTOTP().code(totp(secret[0], 30)))));
      Session session = sessions.sessionServiceGetSession(created.getSessionId(), checked.getSessionToken()).getSession();
      check(session.getFactors().getUser().getId().equals(user), "the session's user");
      check(session.getFactors().getTotp().getVerifiedAt() != null, "TOTP checked");
    });
    steps.step("an unknown user is a 404 read as ErrorResponse", () -> {
      try {
        users.userServiceGetUserByID("no-such-user");
        check(false, "found");
      } catch (ApiException refused) {
        check(refused.getCode() == 404, "status " + refused.getCode());
        ErrorResponse error = client.getObjectMapper().readValue(refused.getResponseBody(), ErrorResponse.class);
        check(error.getCode() == 5 && error.getDetails().get(0).getId().equals("COMMAND-SqyJz"), "error: " + error);
      }
    });
    steps.step("the contract, read raw", () ->
      check(Files.readString(new OperationsApi(client).opsOpenApi().toPath()).contains("openapi: 3.1"), "the YAML contract"));
  }
}
