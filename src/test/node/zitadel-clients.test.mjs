// ZITADEL's own client libraries, unmodified, against a running mfa-service.
// Run by dev.mfaservice.rpc.ZitadelClientsTest (part of `./mvnw verify`), which starts the
// service and passes MFA_BASE_URL, MFA_TOKEN (an IAM_OWNER token) and MFA_RESULTS (a file
// where the ids created here are written, for the Java side to check in PostgreSQL).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Code, ConnectError } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createClientTransport } from "@zitadel/client/web";
import { createOrganizationServiceClient, createSessionServiceClient, createUserServiceClient } from "@zitadel/client/v2";
import { createManagementServiceClient } from "@zitadel/client/v1";
import { createUserServiceClient as createResourcesUserClient } from "@zitadel/client/v3alpha";
import { SecondFactorType } from "@zitadel/proto/zitadel/policy_pb.js";
import { AuthenticationMethodType } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { Metadata } from "nice-grpc";
import { createAccessTokenInterceptor, createManagementClient } from "@zitadel/node/dist/api/index.js";

const baseUrl = process.env.MFA_BASE_URL;
// The same service behind TLS (a second instance on the same database), with its test CA.
const tlsBaseUrl = process.env.MFA_TLS_BASE_URL;
const tlsOptions = tlsBaseUrl && { ca: readFileSync(process.env.MFA_TLS_CA), servername: "localhost" };
const token = process.env.MFA_TOKEN;
assert.ok(baseUrl && token, "MFA_BASE_URL and MFA_TOKEN are required");
const results = {};
after(() => process.env.MFA_RESULTS && writeFileSync(process.env.MFA_RESULTS, JSON.stringify(results, null, 2)));

// One way to make a transport per protocol, each as ZITADEL's docs show it.
const transports = {
  // @zitadel/client/node: gRPC over HTTP/2 (h2c here).
  "grpc": (tok) => createServerTransport(tok, { baseUrl, httpVersion: "2" }),
  // @zitadel/client/web: gRPC-web (fetch, HTTP/1.1).
  "grpc-web": (tok) => createClientTransport(tok, { baseUrl }),
  // Connect with JSON over HTTP/1.1, and Connect with protobuf over HTTP/2.
  "connect-json": (tok) => createConnectTransport({ baseUrl, httpVersion: "1.1",
    interceptors: [NewAuthorizationBearerInterceptor(tok)] }),
  "connect-binary": (tok) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true,
    interceptors: [NewAuthorizationBearerInterceptor(tok)] }),
  // gRPC and Connect over TLS (ALPN h2), when the test runs a TLS instance.
  ...(tlsBaseUrl && {
    "grpc-tls": (tok) => createServerTransport(tok, { baseUrl: tlsBaseUrl, httpVersion: "2", nodeOptions: tlsOptions }),
    "connect-tls": (tok) => createConnectTransport({ baseUrl: tlsBaseUrl, httpVersion: "2", nodeOptions: tlsOptions,
      interceptors: [NewAuthorizationBearerInterceptor(tok)] }),
  }),
};

/** RFC 6238 (SHA-1, 6 digits, 30 s) of a base32 secret at a time step. */
function totp(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

async function refusal(promise) {
  try {
    await promise;
  } catch (e) {
    return ConnectError.from(e);
  }
  assert.fail("the call succeeded, but it should have been refused");
}

function zitadelDetail(err) {
  const details = err.findDetails(ErrorDetailSchema);
  assert.equal(details.length, 1, `one zitadel.v1.ErrorDetail in ${err.message}`);
  return details[0];
}

for (const [name, transportFor] of Object.entries(transports)) {
  test(`${name}: org, user, TOTP, OTP email, login policy, session`, async () => {
    const transport = transportFor(token);
    const orgs = createOrganizationServiceClient(transport);
    const users = createUserServiceClient(transport);
    const sessions = createSessionServiceClient(transport);
    const management = createManagementServiceClient(transport);
    const suffix = randomBytes(4).toString("hex");

    const org = await orgs.addOrganization({ name: `Acme ${name} ${suffix}` });
    assert.match(org.organizationId, /^\d+$/);
    assert.ok(org.details.sequence > 0n, "details.sequence is set");

    const user = await users.addHumanUser({
      organization: { org: { case: "orgId", value: org.organizationId } },
      username: `ada-${name}-${suffix}`,
      profile: { givenName: "Ada", familyName: "Lovelace" },
      email: { email: `ada-${suffix}@example.com`, verification: { case: "returnCode", value: {} } },
    });
    assert.match(user.userId, /^\d+$/);
    assert.match(user.emailCode, /^[A-Z0-9]{6,}$/, "returnCode gives the email code back");
    await users.verifyEmail({ userId: user.userId, verificationCode: user.emailCode });

    const fetched = await users.getUserByID({ userId: user.userId });
    assert.equal(fetched.user.userId, user.userId);
    assert.equal(fetched.user.type.case, "human");
    assert.equal(fetched.user.type.value.profile.givenName, "Ada");
    assert.equal(fetched.user.type.value.email.isVerified, true);

    const registration = await users.registerTOTP({ userId: user.userId });
    assert.match(registration.uri, /^otpauth:\/\/totp\//);
    const step = Math.floor(Date.now() / 30_000);
    await users.verifyTOTPRegistration({ userId: user.userId, code: totp(registration.secret, step) });

    // The org's admin allows OTP by email (the org's own login policy, management v1) …
    const orgHeader = { headers: { "x-zitadel-orgid": org.organizationId } };
    await management.addSecondFactorToLoginPolicy({ type: SecondFactorType.OTP_EMAIL }, orgHeader);
    const factors = await management.listLoginPolicySecondFactors({}, orgHeader);
    assert.ok(factors.result.includes(SecondFactorType.OTP_EMAIL), `the org's policy lists OTP email: ${factors.result}`);

    // … then OTP by email on the verified address, and the code of a changed address returned to the caller.
    await users.addOTPEmail({ userId: user.userId });
    const changed = await users.setEmail({ userId: user.userId, email: `ada2-${suffix}@example.com`,
      verification: { case: "returnCode", value: {} } });
    assert.match(changed.verificationCode, /^[A-Z0-9]{6,}$/);
    await users.verifyEmail({ userId: user.userId, verificationCode: changed.verificationCode });

    const methods = await users.listAuthenticationMethodTypes({ userId: user.userId });
    assert.deepEqual([...methods.authMethodTypes].sort(),
      [AuthenticationMethodType.TOTP, AuthenticationMethodType.OTP_EMAIL].sort());

    // The registration used this step's code; a code is good once, so the session takes the next step's.
    const session = await sessions.createSession({
      checks: { user: { search: { case: "userId", value: user.userId } }, totp: { code: totp(registration.secret, step + 1) } },
    });
    assert.match(session.sessionId, /^\d+$/);
    assert.ok(session.sessionToken.length > 20);
    const read = await sessions.getSession({ sessionId: session.sessionId, sessionToken: session.sessionToken });
    assert.equal(read.session.factors.user.id, user.userId);
    assert.ok(read.session.factors.totp.verifiedAt, "the TOTP check is recorded on the session");

    results[name] = { orgId: org.organizationId, userId: user.userId, sessionId: session.sessionId };
  });

  test(`${name}: @zitadel/client/v3alpha, the resources generation (ZITADELUsers)`, async () => {
    const transport = transportFor(token);
    const org = results[name]?.orgId;
    assert.ok(org, "the first flow created the org (with OTP email allowed)");
    const users = createUserServiceClient(transport);
    const resources = createResourcesUserClient(transport);
    const suffix = randomBytes(4).toString("hex");
    const { userId } = await users.addHumanUser({ organization: { org: { case: "orgId", value: org } },
      username: `grace-${name}-${suffix}`, profile: { givenName: "Grace", familyName: "Hopper" } });

    const added = await resources.addOTPEmailAuthenticator({ organization: { property: { case: "orgId", value: org } },
      id: userId, email: { address: `grace-${suffix}@example.com`, verification: { case: "returnCode", value: {} } } });
    assert.match(added.verificationCode, /^[A-Z0-9]{6,}$/);
    assert.equal(added.details.id, added.otpEmailId);
    assert.equal(added.details.owner.id, org);
    assert.ok(added.details.changed, "details.changed is set");
    await resources.verifyOTPEmailRegistration({ id: userId, otpEmailId: added.otpEmailId, code: added.verificationCode });

    const registration = await resources.startTOTPRegistration({ id: userId });
    assert.equal(registration.totpId, userId, "one TOTP per user: its id is the user's");
    await resources.verifyTOTPRegistration({ id: userId, totpId: registration.totpId,
      code: totp(registration.secret, Math.floor(Date.now() / 30_000)) });

    const methods = await users.listAuthenticationMethodTypes({ userId });
    assert.deepEqual([...methods.authMethodTypes].sort(),
      [AuthenticationMethodType.TOTP, AuthenticationMethodType.OTP_EMAIL].sort());
  });

  test(`${name}: errors carry the gRPC code and ZITADEL's ErrorDetail`, async () => {
    const users = createUserServiceClient(transportFor(token));
    const missing = await refusal(users.getUserByID({ userId: "999999999999" }));
    assert.equal(missing.code, Code.NotFound, missing.message);
    assert.equal(zitadelDetail(missing).id, "COMMAND-SqyJz");

    const badToken = await refusal(createUserServiceClient(transportFor("not-a-token")).getUserByID({ userId: "1" }));
    assert.equal(badToken.code, Code.Unauthenticated, badToken.message);
    assert.ok(zitadelDetail(badToken).id.startsWith("AUTH-"));

    const invalid = await refusal(users.verifyTOTPRegistration({ userId: "1", code: "" }));
    assert.equal(invalid.code, Code.InvalidArgument, invalid.message);
    assert.match(invalid.rawMessage, /code/, "the message names the field");
  });
}

test("@zitadel/node: management v1 over gRPC", async () => {
  const management = createManagementClient(baseUrl, createAccessTokenInterceptor(token));
  const org = results["grpc"]?.orgId;
  assert.ok(org, "the gRPC flow created an org first");
  // nice-grpc (what @zitadel/node is built on) takes metadata as its Metadata type.
  const metadata = Metadata({ "x-zitadel-orgid": org });
  const policy = await management.getLockoutPolicy({}, { metadata });
  assert.ok(policy.policy, "a lockout policy is returned");
  const factors = await management.listLoginPolicySecondFactors({}, { metadata });
  assert.ok(factors.result.includes(3 /* SECOND_FACTOR_TYPE_OTP_EMAIL */), JSON.stringify(factors.result));
});
