package dev.mfaservice.sdk;

import static dev.mfaservice.sdk.JavaSdk.code;
import static dev.mfaservice.sdk.JavaSdk.refused;
import static dev.mfaservice.sdk.JavaSdk.totpNow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.sdk.JavaSdk.Refusal;
import dev.mfaservice.sdk.java.model.*;
import dev.mfaservice.support.Rfc6238;
import dev.mfaservice.support.SoftAuthenticator;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed flows through the Java SDK generated from the contract (okhttp-gson), against the real
 * service. The SDK rejects answers with fields the contract does not declare, so every call here
 * also checks that the answer matches the contract; assertions read typed fields only.
 */
class GeneratedJavaSdkTest {
  static TestServer server;
  static String baseUrl;
  static JavaSdk admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(GeneratedJavaSdkTest.class);
    baseUrl = "http://127.0.0.1:" + server.config.http().port();
    admin = new JavaSdk(baseUrl, server.adminToken());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aUserWithVerifiedContactRegistersTotp() throws Exception {
    String org = admin.addOrg("java-totp-org", "Java TOTP Org");
    String user = admin.addVerifiedUser(org, "java-totp-user", "totp@java.test", "+41 79 610 00 01");
    User read = admin.users.userServiceGetUserByID(user).getUser();
    assertEquals(UserState.USER_STATE_ACTIVE, read.getState());
    assertEquals(Boolean.TRUE, read.getHuman().getEmail().getIsVerified());
    assertEquals("+41796100001", read.getHuman().getPhone().getPhone());
    assertEquals(Boolean.TRUE, read.getHuman().getPhone().getIsVerified());

    RegisterTOTPResponse registered = admin.totp.userServiceRegisterTOTP(user, new EmptyRequest());
    assertTrue(registered.getUri().startsWith("otpauth://totp/"), registered.getUri());
    DetailsResponse verified = admin.totp.userServiceVerifyTOTPRegistration(user, totpNow(registered.getSecret()));
    assertEquals(org, verified.getDetails().getResourceOwner());
    assertEquals(List.of(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_TOTP),
      admin.totp.userServiceListAuthenticationMethodTypes(user).getAuthMethodTypes());
  }

  @Test
  void aUserAddsTotpToItselfWithItsOwnToken() throws Exception {
    String org = admin.addOrg("java-self-org", "Java Self Org");
    String user = admin.addVerifiedUser(org, "java-self-user", "self@java.test", "+41 79 610 00 02");
    JavaSdk self = new JavaSdk(baseUrl, server.token(user, org));
    assertEquals(List.of(), self.totp.authServiceListMyAuthFactors(new EmptyRequest()).getResult());

    AddMyAuthFactorOTPResponse added = self.totp.authServiceAddMyAuthFactorOTP(new EmptyRequest());
    assertTrue(added.getUrl().startsWith("otpauth://totp/"), added.getUrl());
    self.totp.authServiceVerifyMyAuthFactorOTP(totpNow(added.getSecret()));
    List<AuthFactor> factors = self.totp.authServiceListMyAuthFactors(new EmptyRequest()).getResult();
    assertEquals(1, factors.size());
    assertEquals(AuthFactorState.AUTH_FACTOR_STATE_READY, factors.get(0).getState());
    assertNotNull(factors.get(0).getOtp(), "a TOTP factor");
    assertNull(factors.get(0).getOtpSms());
  }

  @Test
  void otpEmailAndSmsAllowedEnrolledAndUsedToSignIn() throws Exception {
    String org = admin.addOrg("java-otp-org", "Java OTP Org");
    String user = admin.addVerifiedUser(org, "java-otp-user", "otp@java.test", "+41 79 610 00 03");
    for (SecondFactorType type : List.of(SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL, SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS)) {
      admin.loginPolicy.managementServiceAddSecondFactorToLoginPolicy(new AddSecondFactorToLoginPolicyRequest().type(type), org);
    }
    List<SecondFactorType> allowed = admin.loginPolicy.managementServiceListLoginPolicySecondFactors(org, new EmptyRequest()).getResult();
    assertTrue(allowed.containsAll(List.of(SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL, SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS)),
      allowed.toString());

    AddOTPEmailAuthenticatorResponse email = admin.otpEmail.userServiceV3alphaAddOTPEmailAuthenticator(user,
      new AddOTPEmailAuthenticatorRequest().email(new SetOTPEmailAuthenticator().address("codes@java.test").returnCode(new ReturnCode())));
    admin.otpEmail.userServiceV3alphaVerifyOTPEmailAuthenticator(user, email.getOtpEmailId(), code(email.getVerificationCode()));
    AddOTPSMSAuthenticatorResponse sms = admin.otpSms.userServiceV3alphaAddOTPSMSAuthenticator(user,
      new AddOTPSMSAuthenticatorRequest().phone(new SetOTPSMSAuthenticator().number("+41 79 610 00 33").returnCode(new ReturnCode())));
    admin.otpSms.userServiceV3alphaVerifyOTPSMSAuthenticator(user, sms.getOtpSmsId(), code(sms.getVerificationCode()));

    CreateSessionResponse created = admin.sessions.sessionServiceCreateSession(new CreateSessionRequest()
      .checks(new Checks().user(new CheckUser().userId(user)))
      .challenges(new RequestChallenges().otpSms(new RequestChallengeOTPSMS().returnCode(true))));
    String smsCode = created.getChallenges().getOtpSms();
    SetSessionResponse checked = admin.sessions.sessionServiceSetSession(created.getSessionId(), new SetSessionRequest()
      .sessionToken(created.getSessionToken()).checks(new Checks().otpSms(new CheckOTP().code(smsCode))));
    Session session = admin.sessions.sessionServiceGetSession(created.getSessionId(), checked.getSessionToken()).getSession();
    assertEquals(user, session.getFactors().getUser().getId());
    OffsetDateTime smsVerifiedAt = session.getFactors().getOtpSms().getVerifiedAt();
    assertNotNull(smsVerifiedAt);
    assertTrue(!smsVerifiedAt.isBefore(session.getFactors().getUser().getVerifiedAt()), smsVerifiedAt.toString());
    for (OffsetDateTime time : List.of(session.getCreationDate(), session.getChangeDate(), smsVerifiedAt)) {
      assertEquals(0, time.getNano() % 1_000_000, "timestamps on the wire have millisecond precision: " + time);
    }
  }

  @Test
  void aUserWhoLostEveryOtherFactorSignsInWithARecoveryCode() throws Exception {
    String org = admin.addOrg("java-recovery-org", "Java Recovery Org");
    admin.loginPolicy.managementServiceAddSecondFactorToLoginPolicy(new AddSecondFactorToLoginPolicyRequest()
      .type(SecondFactorType.SECOND_FACTOR_TYPE_RECOVERY_CODES), org);
    String user = admin.addVerifiedUser(org, "java-recovery-user", "recovery@java.test", "+41 79 610 00 06");
    GenerateRecoveryCodesResponse generated = admin.recoveryCodes.userServiceGenerateRecoveryCodes(user,
      new GenerateRecoveryCodesRequest().count(2));
    assertEquals(2, generated.getRecoveryCodes().size());
    assertEquals(List.of(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_RECOVERY_CODE),
      admin.totp.userServiceListAuthenticationMethodTypes(user).getAuthMethodTypes());

    CreateSessionResponse created = admin.sessions.sessionServiceCreateSession(new CreateSessionRequest()
      .checks(new Checks().user(new CheckUser().userId(user))
        .recoveryCode(new CheckRecoveryCode().code(generated.getRecoveryCodes().get(0)))));
    Session session = admin.sessions.sessionServiceGetSession(created.getSessionId(), created.getSessionToken()).getSession();
    assertNotNull(session.getFactors().getRecoveryCode().getVerifiedAt());
    Refusal spent = refused(() -> admin.sessions.sessionServiceCreateSession(new CreateSessionRequest()
      .checks(new Checks().user(new CheckUser().userId(user))
        .recoveryCode(new CheckRecoveryCode().code(generated.getRecoveryCodes().get(0))))));
    assertEquals("RECOVERY-invalid", spent.error().getDetails().get(0).getId());
    assertEquals(org, admin.recoveryCodes.userServiceRemoveRecoveryCodes(user).getDetails().getResourceOwner());
  }

  @Test
  void aSecurityKeyEnrolsAndSignsInThroughTheTypedModels() throws Exception {
    String org = admin.addOrg("java-key-org", "Java Key Org");
    String user = admin.addVerifiedUser(org, "java-key-user", "key@java.test", "+41 79 610 00 09");
    String origin = "http://localhost:" + server.config.http().port();
    RegisterU2FResponse registered = admin.keys.userServiceRegisterU2F(user, new RegisterU2FRequest().domain("localhost"));
    SoftAuthenticator key = new SoftAuthenticator(SoftAuthenticator.Alg.ES256);
    JsonObject credential = key.create(new JsonObject(registered.getPublicKeyCredentialCreationOptions().toJson()), origin);
    admin.keys.userServiceVerifyU2FRegistration(user, registered.getU2fId(), new VerifyU2FRegistrationRequest()
      .publicKeyCredential(PublicKeyCredential.fromJson(credential.encode())).tokenName("sdk key"));
    AuthFactor factor = admin.keys.userServiceListAuthenticationFactors(user, new ListAuthenticationFactorsRequest())
      .getResult().get(0);
    assertEquals(AuthFactorState.AUTH_FACTOR_STATE_READY, factor.getState());
    assertEquals("sdk key", factor.getU2f().getName());

    CreateSessionResponse created = admin.sessions.sessionServiceCreateSession(new CreateSessionRequest()
      .checks(new Checks().user(new CheckUser().userId(user)))
      .challenges(new RequestChallenges().webAuthN(new RequestChallengeWebAuthN().domain("localhost"))));
    JsonObject options = new JsonObject(created.getChallenges().getWebAuthN().getPublicKeyCredentialRequestOptions().toJson());
    admin.sessions.sessionServiceSetSession(created.getSessionId(), new SetSessionRequest().checks(new Checks()
      .webAuthN(new CheckWebAuthN().credentialAssertionData(PublicKeyCredential.fromJson(key.get(options, origin).encode())))));
    WebAuthNFactor signedIn = admin.sessions.sessionServiceGetSession(created.getSessionId(), null).getSession()
      .getFactors().getWebAuthN();
    assertNotNull(signedIn.getVerifiedAt());
    admin.keys.userServiceRemoveU2F(user, factor.getU2f().getId());
  }

  @Test
  void aUserLockedByFailedChecksReadsAsLocked() throws Exception {
    String org = admin.addOrg("java-lock-org", "Java Lockout Org");
    admin.lockoutPolicy.managementServiceAddCustomLockoutPolicy(new LockoutPolicyRequest().maxOtpAttempts(1), org);
    assertEquals("1", admin.lockoutPolicy.managementServiceGetLockoutPolicy(org).getPolicy().getMaxOtpAttempts());
    String user = admin.addVerifiedUser(org, "java-lock-user", "lock@java.test", "+41 79 610 00 04");
    String secret = admin.totp.userServiceRegisterTOTP(user, new EmptyRequest()).getSecret();
    String right = Rfc6238.code(secret, System.currentTimeMillis() / 1000);
    String wrong = String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000);

    Refusal failed = refused(() -> admin.totp.userServiceVerifyTOTPRegistration(user, code(wrong)));
    assertEquals(400, failed.status());
    assertEquals(UserState.USER_STATE_LOCKED, admin.users.userServiceGetUserByID(user).getUser().getState());
    Refusal locked = refused(() -> admin.totp.userServiceVerifyTOTPRegistration(user, code(right)));
    assertEquals("COMMAND-Locked", locked.error().getDetails().get(0).getId());
  }

  @Test
  void refusalsParseIntoTheTypedErrorModel() throws Exception {
    Refusal notFound = refused(() -> admin.users.userServiceGetUserByID("no-such-user"));
    assertEquals(404, notFound.status());
    assertEquals(5, notFound.error().getCode());
    assertEquals("COMMAND-SqyJz", notFound.error().getDetails().get(0).getId());

    Refusal invalid = refused(() -> admin.orgs.organizationServiceAddOrganization(new AddOrganizationRequest().name("")));
    assertEquals(400, invalid.status());
    assertEquals(3, invalid.error().getCode());
    assertEquals("API-validation", invalid.error().getDetails().get(0).getId());
    assertEquals("name", invalid.error().getDetails().get(1).getFieldViolations().get(0).getField());

    String org = admin.addOrg("java-limit-org", "Java Limit Org");
    String user = admin.addVerifiedUser(org, "java-limit-user", "limit@java.test", "+41 79 610 00 05");
    admin.contact.userServiceSetPhone(user, new SetPhoneRequest().phone("+41 79 610 00 55"));
    Refusal limited = refused(() -> admin.contact.userServiceResendPhoneCode(user, new ResendPhoneCodeRequest()));
    assertEquals(429, limited.status());
    assertEquals(8, limited.error().getCode());
    assertEquals("NOTIFY-rateLimited", limited.error().getDetails().get(0).getId());
    ErrorDetail retry = limited.error().getDetails().stream()
      .filter(d -> d.getAtType().equals("type.googleapis.com/google.rpc.RetryInfo")).findFirst().orElseThrow();
    assertTrue(retry.getRetryDelay().matches("\\d+s"), retry.getRetryDelay());
    assertEquals(retry.getRetryDelay(), limited.header("Retry-After") + "s");
  }
}
