"""The seed flows through the Python SDK generated from the contract (python, pydantic 2), against a
running mfa-service. Run by dev.mfaservice.sdk.SdkMatrixTest with the generated package on
PYTHONPATH and MFA_BASE_URL, MFA_TOKEN (IAM_OWNER) and MFA_PREFIX (what the ids created here start
with). Each step is reported as a TAP line, as node's test runner and the JVM flows report theirs."""
import base64
import hashlib
import hmac
import os
import struct
import time
import traceback

import mfa_sdk as sdk

BASE_URL, TOKEN, PREFIX = (os.environ[name] for name in ("MFA_BASE_URL", "MFA_TOKEN", "MFA_PREFIX"))
ORG, USER = f"{PREFIX}-org", f"{PREFIX}-user"
client = sdk.ApiClient(sdk.Configuration(host=BASE_URL, access_token=TOKEN))
users, totp_api, sessions = sdk.UsersApi(client), sdk.TOTPApi(client), sdk.SessionsApi(client)
steps = []


def step(name):
    def register(function):
        steps.append((name, function))
        return function
    return register


def totp(secret, offset_seconds=0):
    """RFC 6238 (HMAC-SHA1, 6 digits, 30 s) of a base32 secret, offset_seconds from now."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time() + offset_seconds) // 30), hashlib.sha1).digest()
    code = struct.unpack(">I", mac[(mac[-1] & 0xF):][:4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


@step("an organization")
def an_organization(state):
    added = sdk.OrganizationsApi(client).organization_service_add_organization(sdk.AddOrganizationRequest(org_id=ORG, name="Python Org"))
    assert added.organization_id == ORG, added


@step("a user with verified email and phone")
def a_user_with_verified_email_and_phone(state):
    users.user_service_add_human_user(sdk.AddHumanUserRequest(
        user_id=USER, username=USER, organization=sdk.Organization(org_id=ORG),
        profile=sdk.SetHumanProfile(given_name="Sdk", family_name="User"),
        email=sdk.SetHumanEmail(email=f"{USER}@sdk.test", is_verified=True),
        phone=sdk.SetHumanPhone(phone="+41 79 660 00 01", is_verified=True)))
    read = users.user_service_get_user_by_id(USER).user
    assert read.state == sdk.UserState.USER_STATE_ACTIVE, read.state
    assert read.human.email.is_verified is True


@step("TOTP registered and verified with a code computed here")
def totp_registered_and_verified_with_a_code_computed_here(state):
    state["secret"] = totp_api.user_service_register_totp(USER, sdk.EmptyRequest()).secret
    totp_api.user_service_verify_totp_registration(USER, sdk.VerifyCodeRequest(code=totp(state["secret"])))
    methods = totp_api.user_service_list_authentication_method_types(USER).auth_method_types
    assert methods == [sdk.AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_TOTP], methods


@step("the login policy allows OTP email and SMS")
def the_login_policy_allows_otp_email_and_sms(state):
    policy = sdk.LoginPolicyApi(client)
    types = [sdk.SecondFactorType.SECOND_FACTOR_TYPE_OTP_EMAIL, sdk.SecondFactorType.SECOND_FACTOR_TYPE_OTP_SMS]
    for type_ in types:
        policy.management_service_add_second_factor_to_login_policy(sdk.AddSecondFactorToLoginPolicyRequest(type=type_), ORG)
    allowed = policy.management_service_list_login_policy_second_factors(ORG, sdk.EmptyRequest()).result
    assert set(types) <= set(allowed), allowed


@step("OTP email verified with the returned code")
def otp_email_verified_with_the_returned_code(state):
    api = sdk.OTPEmailApi(client)
    added = api.user_service_v3alpha_add_otp_email_authenticator(USER, sdk.AddOTPEmailAuthenticatorRequest(
        email=sdk.SetOTPEmailAuthenticator(address="codes@python.test", return_code=sdk.ReturnCode())))
    api.user_service_v3alpha_verify_otp_email_authenticator(USER, added.otp_email_id, sdk.VerifyCodeRequest(code=added.verification_code))


@step("OTP SMS verified with the returned code")
def otp_sms_verified_with_the_returned_code(state):
    api = sdk.OTPSMSApi(client)
    added = api.user_service_v3alpha_add_otpsms_authenticator(USER, sdk.AddOTPSMSAuthenticatorRequest(
        phone=sdk.SetOTPSMSAuthenticator(number="+41 79 660 00 02", return_code=sdk.ReturnCode())))
    api.user_service_v3alpha_verify_otpsms_authenticator(USER, added.otp_sms_id, sdk.VerifyCodeRequest(code=added.verification_code))


@step("a session signed in with a TOTP check")
def a_session_signed_in_with_a_totp_check(state):
    created = sessions.session_service_create_session(sdk.CreateSessionRequest(checks=sdk.Checks(user=sdk.CheckUser(user_id=USER))))
    # the next step's code: the enrolment spent this one (a replay is refused)
    checked = sessions.session_service_set_session(created.session_id, sdk.SetSessionRequest(
        session_token=created.session_token, checks=sdk.Checks(totp=sdk.CheckTOTP(code=totp(state["secret"], 30)))))
    session = sessions.session_service_get_session(created.session_id, checked.session_token).session
    assert session.factors.user.id == USER
    assert session.factors.totp.verified_at is not None


@step("an unknown user is a 404 read as ErrorResponse")
def an_unknown_user_is_a_404_read_as_error_response(state):
    try:
        users.user_service_get_user_by_id("no-such-user")
        raise AssertionError("found")
    except sdk.ApiException as refused:
        assert refused.status == 404, refused.status
        error = sdk.ErrorResponse.from_json(refused.body)
        assert error.code == 5 and error.details[0].id == "COMMAND-SqyJz", error


@step("the contract, read raw")
def the_contract_read_raw(state):
    assert b"openapi: 3.1" in sdk.OperationsApi(client).ops_open_api()


def main():
    state = {}
    for number, (name, function) in enumerate(steps, 1):
        try:
            function(state)
            print(f"ok {number} - {name}")
        except Exception:  # a failed step is reported and the next one runs, as in the other SDKs' runs
            print(f"not ok {number} - {name}")
            print("  ---\n  error: |\n" + "".join("    " + line + "\n" for line in traceback.format_exc().splitlines()) + "  ...")


if __name__ == "__main__":
    main()
