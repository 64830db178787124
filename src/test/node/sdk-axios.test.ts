// The seed flows through the TypeScript SDK generated with typescript-axios, against a running
// mfa-service: one node test per step, in order, as SdkMatrixTest expects of every SDK of the matrix.
// Checked by tsc in strict mode and compiled to target/sdk-ts with sdk.test.ts; run by SdkMatrixTest
// with MFA_BASE_URL, MFA_TOKEN (IAM_OWNER) and MFA_PREFIX (what the ids created here start with).
import { test } from "node:test";
import assert from "node:assert/strict";
import { isAxiosError } from "axios";
import {
  AuthenticationMethodType, Configuration, ErrorResponse, LoginPolicyApi, OTPEmailApi, OTPSMSApi, OperationsApi,
  OrganizationsApi, SecondFactorType, SessionsApi, TOTPApi, UserState, UsersApi,
} from "../../../target/generated-sdk/typescript-axios";
import { totpNow } from "./totp";

const env = (name: string) => process.env[name] ?? assert.fail(`${name} is required`);
const configuration = new Configuration({ basePath: env("MFA_BASE_URL"), accessToken: env("MFA_TOKEN") });
const [orgs, users, totp, policy] = [new OrganizationsApi(configuration), new UsersApi(configuration),
  new TOTPApi(configuration), new LoginPolicyApi(configuration)];
const [otpEmail, otpSms, sessions] = [new OTPEmailApi(configuration), new OTPSMSApi(configuration), new SessionsApi(configuration)];
const org = `${env("MFA_PREFIX")}-org`;
const user = `${env("MFA_PREFIX")}-user`;
let secret = "";

test("an organization", async () => {
  assert.equal((await orgs.organizationServiceAddOrganization({ orgId: org, name: "Axios Org" })).data.organizationId, org);
});

test("a user with verified email and phone", async () => {
  await users.userServiceAddHumanUser({ userId: user, username: user, organization: { orgId: org },
    profile: { givenName: "Sdk", familyName: "User" }, email: { email: `${user}@sdk.test`, isVerified: true },
    phone: { phone: "+41 79 640 00 01", isVerified: true } });
  const read = (await users.userServiceGetUserByID(user)).data.user;
  assert.equal(read?.state, UserState.UserStateActive);
  assert.equal(read?.human?.email?.isVerified, true);
});

test("TOTP registered and verified with a code computed here", async () => {
  secret = (await totp.userServiceRegisterTOTP(user, {})).data.secret ?? "";
  await totp.userServiceVerifyTOTPRegistration(user, { code: totpNow(secret) });
  const methods = (await totp.userServiceListAuthenticationMethodTypes(user)).data.authMethodTypes;
  assert.deepEqual(methods, [AuthenticationMethodType.AuthenticationMethodTypeTotp]);
});

test("the login policy allows OTP email and SMS", async () => {
  const types = [SecondFactorType.SecondFactorTypeOtpEmail, SecondFactorType.SecondFactorTypeOtpSms];
  for (const type of types) await policy.managementServiceAddSecondFactorToLoginPolicy({ type }, org);
  const allowed = (await policy.managementServiceListLoginPolicySecondFactors(org, {})).data.result ?? [];
  for (const type of types) assert.ok(allowed.includes(type), `${type} in ${allowed}`);
});

test("OTP email verified with the returned code", async () => {
  const added = (await otpEmail.userServiceV3alphaAddOTPEmailAuthenticator(user,
    { email: { address: "codes@axios.test", returnCode: {} } })).data;
  await otpEmail.userServiceV3alphaVerifyOTPEmailAuthenticator(user, added.otpEmailId ?? "", { code: added.verificationCode ?? "" });
});

test("OTP SMS verified with the returned code", async () => {
  const added = (await otpSms.userServiceV3alphaAddOTPSMSAuthenticator(user,
    { phone: { number: "+41 79 640 00 02", returnCode: {} } })).data;
  await otpSms.userServiceV3alphaVerifyOTPSMSAuthenticator(user, added.otpSmsId ?? "", { code: added.verificationCode ?? "" });
});

test("a session signed in with a TOTP check", async () => {
  const created = (await sessions.sessionServiceCreateSession({ checks: { user: { userId: user } } })).data;
  // the next step's code: the enrolment spent this one (a replay is refused)
  const checked = (await sessions.sessionServiceSetSession(created.sessionId ?? "",
    { sessionToken: created.sessionToken, checks: { totp: { code: totpNow(secret, 30) } } })).data;
  const session = (await sessions.sessionServiceGetSession(created.sessionId ?? "", checked.sessionToken)).data.session;
  assert.equal(session?.factors?.user?.id, user);
  assert.ok(session?.factors?.totp?.verifiedAt, "TOTP checked");
});

test("an unknown user is a 404 read as ErrorResponse", async () => {
  const e = await users.userServiceGetUserByID("no-such-user").then(() => assert.fail("found"), (err: unknown) => err);
  assert.ok(isAxiosError(e) && e.response, String(e));
  assert.equal(e.response.status, 404);
  const error: ErrorResponse = e.response.data;
  assert.equal(error.code, 5);
  assert.equal(error.details[0].id, "COMMAND-SqyJz");
});

test("the contract, read raw", async () => {
  const contract = (await new OperationsApi(configuration).opsOpenApi()).data;
  assert.match(String(contract), /openapi: 3\.1/);
});
