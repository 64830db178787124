package dev.mfaservice.sdk

import dev.mfaservice.sdk.kotlin.apis.LoginPolicyApi
import dev.mfaservice.sdk.kotlin.apis.OTPEmailApi
import dev.mfaservice.sdk.kotlin.apis.OTPSMSApi
import dev.mfaservice.sdk.kotlin.apis.OperationsApi
import dev.mfaservice.sdk.kotlin.apis.OrganizationsApi
import dev.mfaservice.sdk.kotlin.apis.SessionsApi
import dev.mfaservice.sdk.kotlin.apis.TOTPApi
import dev.mfaservice.sdk.kotlin.apis.UsersApi
import dev.mfaservice.sdk.kotlin.infrastructure.ApiClient
import dev.mfaservice.sdk.kotlin.infrastructure.ClientError
import dev.mfaservice.sdk.kotlin.infrastructure.ClientException
import dev.mfaservice.sdk.kotlin.infrastructure.Serializer
import dev.mfaservice.sdk.kotlin.models.*
import dev.mfaservice.sdk.SeedSteps.Companion.check
import dev.mfaservice.sdk.SeedSteps.Companion.totp
import java.io.PrintStream

/** The seed flows through the Kotlin SDK (jvm-okhttp4), run by SdkMatrixTest against the real service. */
object KotlinSdkFlows {
  @JvmStatic
  fun run(baseUrl: String, token: String, prefix: String, out: PrintStream) {
    ApiClient.accessToken = token
    val orgs = OrganizationsApi(baseUrl)
    val users = UsersApi(baseUrl)
    val totpApi = TOTPApi(baseUrl)
    val policy = LoginPolicyApi(baseUrl)
    val otpEmail = OTPEmailApi(baseUrl)
    val otpSms = OTPSMSApi(baseUrl)
    val sessions = SessionsApi(baseUrl)
    val org = "$prefix-org"
    val user = "$prefix-user"
    val steps = SeedSteps(out)
    steps.step("an organization") {
      check(orgs.organizationServiceAddOrganization(AddOrganizationRequest(name = "Kotlin Org", orgId = org)).organizationId == org, "the org id")
    }
    steps.step("a user with verified email and phone") {
      users.userServiceAddHumanUser(AddHumanUserRequest(userId = user, username = user, organization = Organization(orgId = org),
        profile = SetHumanProfile(givenName = "Sdk", familyName = "User"), email = SetHumanEmail(email = "$user@sdk.test", isVerified = true),
        phone = SetHumanPhone(phone = "+41 79 630 00 01", isVerified = true)))
      val read = users.userServiceGetUserByID(user).user
      check(read?.state == UserState.USER_STATE_ACTIVE, "active: ${read?.state}")
      check(read?.human?.email?.isVerified == true, "email verified")
    }
    var secret = ""
    steps.step("TOTP registered and verified with a code computed here") {
      secret = totpApi.userServiceRegisterTOTP(user, EmptyRequest()).secret!!
      totpApi.userServiceVerifyTOTPRegistration(user, VerifyCodeRequest(code = totp(secret, 0)))
      val methods = totpApi.userServiceListAuthenticationMethodTypes(user).authMethodTypes
      check(methods == listOf(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_TOTP), "methods: $methods")
    }
    steps.step("the login policy allows OTP email and SMS") {
      val types = listOf(SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL, SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS)
      types.forEach { policy.managementServiceAddSecondFactorToLoginPolicy(AddSecondFactorToLoginPolicyRequest(type = it), org) }
      val allowed = policy.managementServiceListLoginPolicySecondFactors(org, EmptyRequest()).result.orEmpty()
      check(allowed.containsAll(types), "allowed: $allowed")
    }
    steps.step("OTP email verified with the returned code") {
      val added = otpEmail.userServiceV3alphaAddOTPEmailAuthenticator(user,
        AddOTPEmailAuthenticatorRequest(SetOTPEmailAuthenticator(address = "codes@kotlin.test", returnCode = ReturnCode())))
      otpEmail.userServiceV3alphaVerifyOTPEmailAuthenticator(user, added.otpEmailId!!, VerifyCodeRequest(code = added.verificationCode!!))
    }
    steps.step("OTP SMS verified with the returned code") {
      val added = otpSms.userServiceV3alphaAddOTPSMSAuthenticator(user,
        AddOTPSMSAuthenticatorRequest(SetOTPSMSAuthenticator(number = "+41 79 630 00 02", returnCode = ReturnCode())))
      otpSms.userServiceV3alphaVerifyOTPSMSAuthenticator(user, added.otpSmsId!!, VerifyCodeRequest(code = added.verificationCode!!))
    }
    steps.step("a session signed in with a TOTP check") {
      val created = sessions.sessionServiceCreateSession(CreateSessionRequest(checks = Checks(user = CheckUser(userId = user))))
      // the next step's code: the enrolment spent this one (a replay is refused)
      val checked = sessions.sessionServiceSetSession(created.sessionId!!, SetSessionRequest(sessionToken = created.sessionToken,
        checks = Checks(totp = CheckTOTP(code = totp(secret, 30)))))
      val session = sessions.sessionServiceGetSession(created.sessionId!!, checked.sessionToken).session
      check(session?.factors?.user?.id == user, "the session's user")
      check(session?.factors?.totp?.verifiedAt != null, "TOTP checked")
    }
    steps.step("an unknown user is a 404 read as ErrorResponse") {
      val e = try {
        users.userServiceGetUserByID("no-such-user"); null
      } catch (refused: ClientException) {
        refused
      }
      check(e?.statusCode == 404, "status ${e?.statusCode}")
      val body = (e!!.response as ClientError<*>).body as String
      val error = Serializer.moshi.adapter(ErrorResponse::class.java).fromJson(body)!!
      check(error.code == 5 && error.details[0].id == "COMMAND-SqyJz", "error: $error")
    }
    steps.step("the contract, read raw") {
      check(OperationsApi(baseUrl).opsOpenApi().readText().contains("openapi: 3.1"), "the YAML contract")
    }
  }
}
