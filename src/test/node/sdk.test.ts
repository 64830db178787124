// The seed flows through the TypeScript SDK generated from the contract (typescript-fetch), against
// a running mfa-service. Checked by tsc in strict mode and compiled to target/sdk-ts; run with node's test
// runner by dev.mfaservice.sdk.TypeScriptSdkTest, which starts the service and passes MFA_BASE_URL,
// MFA_TOKEN (IAM_OWNER), the ids to create (MFA_IDS, JSON) with MFA_SELF_TOKEN (a token of the
// self-service user) and MFA_RESULTS (a file for what was created, which the Java side checks).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import {
  AuthenticationMethodType, AuthFactorState, Configuration, ContactApi, ErrorResponse, ErrorResponseFromJSON,
  LockoutPolicyApi, LoginPolicyApi, OTPEmailApi, OTPSMSApi, OrganizationsApi, RecoveryCodesApi, ResponseError,
  SecondFactorType, SecurityKeysApi, SessionsApi, TOTPApi, UserState, UsersApi, WebAuthnOptions,
} from "../../../target/generated-sdk/typescript";
import { totpNow } from "./totp";

const basePath = required("MFA_BASE_URL");
const ids: { [key: string]: string } = JSON.parse(required("MFA_IDS"));
const results: { [key: string]: string } = {};
after(() => writeFileSync(required("MFA_RESULTS"), JSON.stringify(results, null, 2)));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** The generated API classes for one caller, as a user of the SDK sets them up. */
function sdk(accessToken: string) {
  const configuration = new Configuration({ basePath, accessToken });
  return {
    orgs: new OrganizationsApi(configuration), users: new UsersApi(configuration), totp: new TOTPApi(configuration),
    contact: new ContactApi(configuration), loginPolicy: new LoginPolicyApi(configuration),
    lockoutPolicy: new LockoutPolicyApi(configuration), otpEmail: new OTPEmailApi(configuration),
    otpSms: new OTPSMSApi(configuration), sessions: new SessionsApi(configuration), keys: new SecurityKeysApi(configuration),
    recoveryCodes: new RecoveryCodesApi(configuration),
  };
}
const admin = sdk(required("MFA_TOKEN"));

/** A refused call as the SDK reports it: the HTTP answer and its body in the typed error model. */
async function refused(call: Promise<unknown>): Promise<{ response: Response; error: ErrorResponse }> {
  const e = await call.then(() => assert.fail("the call should have been refused"), (err: unknown) => err);
  assert.ok(e instanceof ResponseError, String(e));
  return { response: e.response, error: ErrorResponseFromJSON(await e.response.json()) };
}

async function addVerifiedUser(orgId: string, userId: string, email: string, phone: string): Promise<string> {
  const added = await admin.users.userServiceAddHumanUser({ addHumanUserRequest: {
    userId, username: userId, organization: { orgId }, profile: { givenName: "Sdk", familyName: "User" },
    email: { email, isVerified: true }, phone: { phone, isVerified: true } } });
  assert.equal(added.userId, userId);
  return userId;
}

test("an org and a user with verified contact; RegisterTOTP and VerifyTOTPRegistration", async () => {
  const org = (await admin.orgs.organizationServiceAddOrganization({ addOrganizationRequest: { orgId: ids.org, name: "TS Org" } })).organizationId;
  assert.equal(org, ids.org);
  const user = await addVerifiedUser(ids.org, ids.totpUser, "totp@ts.test", "+41 79 620 00 01");
  const read = (await admin.users.userServiceGetUserByID({ userId: user })).user;
  const state: UserState | undefined = read?.state;
  assert.equal(state, UserState.UserStateActive);
  assert.equal(read?.human?.email?.isVerified, true);
  assert.equal(read?.human?.phone?.phone, "+41796200001");

  const registered = await admin.totp.userServiceRegisterTOTP({ userId: user, emptyRequest: {} });
  assert.match(registered.uri ?? "", /^otpauth:\/\/totp\//);
  const verified = await admin.totp.userServiceVerifyTOTPRegistration({ userId: user, verifyCodeRequest: { code: totpNow(registered.secret ?? "") } });
  assert.equal(verified.details?.resourceOwner, ids.org);
  const methods: AuthenticationMethodType[] | undefined = (await admin.totp.userServiceListAuthenticationMethodTypes({ userId: user })).authMethodTypes;
  assert.deepEqual(methods, [AuthenticationMethodType.AuthenticationMethodTypeTotp]);
  results.totpUser = user;
});

test("AddMyAuthFactorOTP, VerifyMyAuthFactorOTP and ListMyAuthFactors with the user's own token", async () => {
  await addVerifiedUser(ids.org, ids.selfUser, "self@ts.test", "+41 79 620 00 02");
  const self = sdk(required("MFA_SELF_TOKEN"));
  const added = await self.totp.authServiceAddMyAuthFactorOTP({ emptyRequest: {} });
  assert.match(added.url ?? "", /^otpauth:\/\/totp\//);
  await self.totp.authServiceVerifyMyAuthFactorOTP({ verifyCodeRequest: { code: totpNow(added.secret ?? "") } });
  const factors = (await self.totp.authServiceListMyAuthFactors({ emptyRequest: {} })).result ?? [];
  assert.equal(factors.length, 1);
  assert.equal(factors[0].state, AuthFactorState.AuthFactorStateReady);
  assert.ok(factors[0].otp, "a TOTP factor");
  results.selfUser = ids.selfUser;
});

test("OTP email and SMS allowed, enrolled with returnCode, then a session checked with an SMS code", async () => {
  const user = await addVerifiedUser(ids.org, ids.otpUser, "otp@ts.test", "+41 79 620 00 03");
  for (const type of [SecondFactorType.SecondFactorTypeOtpEmail, SecondFactorType.SecondFactorTypeOtpSms]) {
    await admin.loginPolicy.managementServiceAddSecondFactorToLoginPolicy({ xZitadelOrgid: ids.org, addSecondFactorToLoginPolicyRequest: { type } });
  }
  const allowed: SecondFactorType[] = (await admin.loginPolicy.managementServiceListLoginPolicySecondFactors({ xZitadelOrgid: ids.org, emptyRequest: {} })).result ?? [];
  assert.ok(allowed.includes(SecondFactorType.SecondFactorTypeOtpEmail) && allowed.includes(SecondFactorType.SecondFactorTypeOtpSms), String(allowed));

  const email = await admin.otpEmail.userServiceV3alphaAddOTPEmailAuthenticator({ userId: user,
    addOTPEmailAuthenticatorRequest: { email: { address: "codes@ts.test", returnCode: {} } } });
  await admin.otpEmail.userServiceV3alphaVerifyOTPEmailAuthenticator({ userId: user, otpEmailId: email.otpEmailId ?? "",
    verifyCodeRequest: { code: email.verificationCode ?? "" } });
  const sms = await admin.otpSms.userServiceV3alphaAddOTPSMSAuthenticator({ userId: user,
    addOTPSMSAuthenticatorRequest: { phone: { number: "+41 79 620 00 33", returnCode: {} } } });
  await admin.otpSms.userServiceV3alphaVerifyOTPSMSAuthenticator({ userId: user, otpSmsId: sms.otpSmsId ?? "",
    verifyCodeRequest: { code: sms.verificationCode ?? "" } });

  const created = await admin.sessions.sessionServiceCreateSession({ createSessionRequest: {
    checks: { user: { userId: user } }, challenges: { otpSms: { returnCode: true } } } });
  const sessionId = created.sessionId ?? "";
  const checked = await admin.sessions.sessionServiceSetSession({ sessionId, setSessionRequest: {
    sessionToken: created.sessionToken, checks: { otpSms: { code: created.challenges?.otpSms ?? "" } } } });
  const session = (await admin.sessions.sessionServiceGetSession({ sessionId, sessionToken: checked.sessionToken })).session;
  assert.equal(session?.factors?.user?.id, user);
  const smsVerifiedAt: Date | undefined = session?.factors?.otpSms?.verifiedAt;
  assert.ok(smsVerifiedAt instanceof Date && !isNaN(smsVerifiedAt.getTime()), String(smsVerifiedAt));
  results.otpUser = user;
  results.sessionId = sessionId;
});

test("recovery codes allowed and generated, then a session signed in with one; the same code refused", async () => {
  await admin.orgs.organizationServiceAddOrganization({ addOrganizationRequest: { orgId: ids.recoveryOrg, name: "TS Recovery Org" } });
  await admin.loginPolicy.managementServiceAddSecondFactorToLoginPolicy({ xZitadelOrgid: ids.recoveryOrg,
    addSecondFactorToLoginPolicyRequest: { type: SecondFactorType.SecondFactorTypeRecoveryCodes } });
  const user = await addVerifiedUser(ids.recoveryOrg, ids.recoveryUser, "recovery@ts.test", "+41 79 620 00 06");
  const codes = (await admin.recoveryCodes.userServiceGenerateRecoveryCodes({ userId: user,
    generateRecoveryCodesRequest: { count: 2 } })).recoveryCodes ?? [];
  assert.equal(codes.length, 2);
  const methods = (await admin.totp.userServiceListAuthenticationMethodTypes({ userId: user })).authMethodTypes;
  assert.deepEqual(methods, [AuthenticationMethodType.AuthenticationMethodTypeRecoveryCode]);
  const signIn = { createSessionRequest: { checks: { user: { userId: user }, recoveryCode: { code: codes[0] } } } };
  const created = await admin.sessions.sessionServiceCreateSession(signIn);
  const session = (await admin.sessions.sessionServiceGetSession({ sessionId: created.sessionId ?? "",
    sessionToken: created.sessionToken })).session;
  assert.ok(session?.factors?.recoveryCode?.verifiedAt instanceof Date);
  const spent = await refused(admin.sessions.sessionServiceCreateSession(signIn));
  assert.equal(spent.error.details[0].id, "RECOVERY-invalid");
  results.recoveryUser = user;
});

test("a user locked by a failed check (lockout policy 1) reads as USER_STATE_LOCKED", async () => {
  await admin.orgs.organizationServiceAddOrganization({ addOrganizationRequest: { orgId: ids.lockOrg, name: "TS Lockout Org" } });
  await admin.lockoutPolicy.managementServiceAddCustomLockoutPolicy({ xZitadelOrgid: ids.lockOrg, lockoutPolicyRequest: { maxOtpAttempts: 1 } });
  const user = await addVerifiedUser(ids.lockOrg, ids.lockUser, "lock@ts.test", "+41 79 620 00 04");
  const secret = (await admin.totp.userServiceRegisterTOTP({ userId: user, emptyRequest: {} })).secret ?? "";
  const wrong = ((Number(totpNow(secret)) + 500_000) % 1_000_000).toString().padStart(6, "0");
  const failed = await refused(admin.totp.userServiceVerifyTOTPRegistration({ userId: user, verifyCodeRequest: { code: wrong } }));
  assert.equal(failed.response.status, 400);
  const state: UserState | undefined = (await admin.users.userServiceGetUserByID({ userId: user })).user?.state;
  assert.equal(state, UserState.UserStateLocked);
  results.lockUser = user;
});

test("404, 400 and 429 parse into the typed ErrorResponse", async () => {
  const notFound = await refused(admin.users.userServiceGetUserByID({ userId: "no-such-user" }));
  assert.equal(notFound.response.status, 404);
  assert.equal(notFound.error.code, 5);
  assert.equal(notFound.error.details[0].id, "COMMAND-SqyJz");

  const invalid = await refused(admin.orgs.organizationServiceAddOrganization({ addOrganizationRequest: { name: "" } }));
  assert.equal(invalid.response.status, 400);
  assert.equal(invalid.error.code, 3);
  assert.equal(invalid.error.details[0].id, "API-validation");
  assert.equal(invalid.error.details[1].fieldViolations?.[0].field, "name");

  const user = await addVerifiedUser(ids.org, ids.limitUser, "limit@ts.test", "+41 79 620 00 05");
  await admin.contact.userServiceSetPhone({ userId: user, setPhoneRequest: { phone: "+41 79 620 00 55" } });
  const limited = await refused(admin.contact.userServiceResendPhoneCode({ userId: user, resendPhoneCodeRequest: {} }));
  assert.equal(limited.response.status, 429);
  assert.equal(limited.error.code, 8);
  assert.equal(limited.error.details[0].id, "NOTIFY-rateLimited");
  const retry = limited.error.details.find((d) => d.atType === "type.googleapis.com/google.rpc.RetryInfo");
  assert.match(retry?.retryDelay ?? "", /^\d+s$/);
  assert.equal(`${limited.response.headers.get("Retry-After")}s`, retry?.retryDelay);
  results.limitUser = user;
});

/** A P-256 security key in software: CBOR (the few types WebAuthn needs) and signatures by node:crypto. */
class SoftKey {
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  private readonly id = randomBytes(32);
  private counter = 0;
  constructor(private readonly origin: string) {}

  private static head(major: number, n: number): Buffer {
    return n < 24 ? Buffer.from([(major << 5) | n]) : n < 256 ? Buffer.from([(major << 5) | 24, n])
      : Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  }

  private static cbor(v: number | string | Buffer | Map<number | string, unknown>): Buffer {
    if (typeof v === "number") return v >= 0 ? SoftKey.head(0, v) : SoftKey.head(1, -1 - v);
    if (typeof v === "string") return Buffer.concat([SoftKey.head(3, Buffer.byteLength(v)), Buffer.from(v)]);
    if (Buffer.isBuffer(v)) return Buffer.concat([SoftKey.head(2, v.length), v]);
    const parts = [...v].flatMap(([k, x]) => [SoftKey.cbor(k), SoftKey.cbor(x as Buffer)]);
    return Buffer.concat([SoftKey.head(5, v.size), ...parts]);
  }

  private clientData(type: string, challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  private credential(response: { [key: string]: string | string[] }) {
    return { id: this.id.toString("base64url"), rawId: this.id.toString("base64url"), type: "public-key", response };
  }

  create(options: WebAuthnOptions) {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const cose = SoftKey.cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x ?? "", "base64url")],
      [-3, Buffer.from(jwk.y ?? "", "base64url")]]));
    const sha = createHash("sha256").update(options.publicKey.rp.id).digest();
    const authData = Buffer.concat([sha, Buffer.from([0x41]), Buffer.alloc(20), Buffer.from([0, this.id.length]), this.id, cose]);
    const attestation = SoftKey.cbor(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    return this.credential({ attestationObject: attestation.toString("base64url"),
      clientDataJSON: this.clientData("webauthn.create", options.publicKey.challenge).toString("base64url"), transports: ["usb"] });
  }

  get(options: WebAuthnOptions) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.counter);
    const authData = Buffer.concat([createHash("sha256").update(options.publicKey.rpId).digest(), Buffer.from([0x01]), counter]);
    const clientData = this.clientData("webauthn.get", options.publicKey.challenge);
    const signature = createSign("SHA256").update(Buffer.concat([authData, createHash("sha256").update(clientData).digest()]))
      .sign(this.keys.privateKey);
    return this.credential({ authenticatorData: authData.toString("base64url"), clientDataJSON: clientData.toString("base64url"),
      signature: signature.toString("base64url"), userHandle: "" });
  }
}

test("a security key: RegisterU2F, VerifyU2FRegistration, ListAuthenticationFactors, a session checked with webAuthN", async () => {
  const user = (await admin.users.userServiceAddHumanUser({ addHumanUserRequest: { username: "ts-key-user",
    organization: { orgId: ids.org }, profile: { givenName: "Sdk", familyName: "Key" } } })).userId ?? "";
  const key = new SoftKey(`http://localhost:${new URL(basePath).port}`);
  const registered = await admin.keys.userServiceRegisterU2F({ userId: user, registerU2FRequest: { domain: "localhost" } });
  await admin.keys.userServiceVerifyU2FRegistration({ userId: user, u2fId: registered.u2fId ?? "",
    verifyU2FRegistrationRequest: { publicKeyCredential: key.create(registered.publicKeyCredentialCreationOptions ?? {}),
      tokenName: "ts key" } });
  const factors = (await admin.keys.userServiceListAuthenticationFactors({ userId: user })).result ?? [];
  assert.equal(factors[0]?.state, AuthFactorState.AuthFactorStateReady);
  assert.equal(factors[0]?.u2f?.name, "ts key");

  const created = await admin.sessions.sessionServiceCreateSession({ createSessionRequest: {
    checks: { user: { userId: user } }, challenges: { webAuthN: { domain: "localhost" } } } });
  const options = created.challenges?.webAuthN?.publicKeyCredentialRequestOptions ?? {};
  await admin.sessions.sessionServiceSetSession({ sessionId: created.sessionId ?? "", setSessionRequest: {
    checks: { webAuthN: { credentialAssertionData: key.get(options) } } } });
  const session = (await admin.sessions.sessionServiceGetSession({ sessionId: created.sessionId ?? "" })).session;
  assert.ok(session?.factors?.webAuthN?.verifiedAt instanceof Date, "factors.webAuthN.verifiedAt");
});
