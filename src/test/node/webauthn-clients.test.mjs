// ZITADEL's own client library (@zitadel/client, unmodified) enrols a security key and signs in with it over gRPC
// (HTTP/2) and Connect (JSON and binary): RegisterU2F, VerifyU2FRegistration with a credential from a software
// authenticator written here (node:crypto P-256 key, a minimal CBOR encoder for the COSE key and the "none"
// attestation), then CreateSession with a webAuthN challenge and SetSession with the assertion. The Struct fields
// (options, credential, assertion) are plain JSON objects to the library. Run by SecurityKeyBrowserTest.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { ConnectError } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createOrganizationServiceClient, createSessionServiceClient, createUserServiceClient } from "@zitadel/client/v2";

const baseUrl = process.env.MFA_BASE_URL;
const token = process.env.MFA_TOKEN;
const origin = process.env.MFA_KEY_ORIGIN;
assert.ok(baseUrl && token && origin, "MFA_BASE_URL, MFA_TOKEN and MFA_KEY_ORIGIN are required");
const results = {};
after(() => process.env.MFA_CLIENT_RESULTS && writeFileSync(process.env.MFA_CLIENT_RESULTS, JSON.stringify(results)));

const transports = {
  "grpc": () => createServerTransport(token, { baseUrl, httpVersion: "2" }),
  "connect-json": () => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [NewAuthorizationBearerInterceptor(token)] }),
  "connect-binary": () => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true,
    interceptors: [NewAuthorizationBearerInterceptor(token)] }),
};

// ---- a minimal CBOR encoder: unsigned and negative integers, byte and text strings, maps ----
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
function cbor(v) {
  if (typeof v === "number") return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === "string") { const s = Buffer.from(v, "utf8"); return Buffer.concat([head(3, s.length), s]); }
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  throw new Error("no CBOR for " + typeof v);
}
const b64url = (buf) => Buffer.from(buf).toString("base64url");
const sha256 = (data) => createHash("sha256").update(data).digest();

/** A P-256 security key in software, answering options as navigator.credentials would. */
class SoftKey {
  constructor() {
    this.keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.credentialId = randomBytes(32);
    this.counter = 0;
  }
  clientData(type, challenge) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
  create(options) {
    const pk = options.publicKey;
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    const cose = cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x, "base64url")], [-3, Buffer.from(jwk.y, "base64url")]]));
    const idLength = Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]);
    const authData = Buffer.concat([sha256(pk.rp.id), Buffer.from([0x41]), Buffer.alloc(4), Buffer.alloc(16),
      idLength, this.credentialId, cose]);
    const attestationObject = cbor(new Map([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    return { id: b64url(this.credentialId), rawId: b64url(this.credentialId), type: "public-key",
      response: { attestationObject: b64url(attestationObject), clientDataJSON: b64url(this.clientData("webauthn.create", pk.challenge)),
        transports: ["usb"] } };
  }
  get(options) {
    const pk = options.publicKey;
    const counter = Buffer.alloc(4); counter.writeUInt32BE(++this.counter);
    const authData = Buffer.concat([sha256(pk.rpId), Buffer.from([0x01]), counter]);
    const clientData = this.clientData("webauthn.get", pk.challenge);
    const signature = createSign("SHA256").update(Buffer.concat([authData, sha256(clientData)])).sign(this.keys.privateKey);
    return { id: b64url(this.credentialId), rawId: b64url(this.credentialId), type: "public-key",
      response: { authenticatorData: b64url(authData), clientDataJSON: b64url(clientData), signature: b64url(signature), userHandle: "" } };
  }
}

for (const [name, transport] of Object.entries(transports)) {
  test(`@zitadel/client over ${name}: RegisterU2F, VerifyU2FRegistration, sign in with webAuthN`, async () => {
    const users = createUserServiceClient(transport());
    const org = await createOrganizationServiceClient(transport()).addOrganization({ name: `Key ${name} ${randomBytes(4).toString("hex")}` });
    const { userId } = await users.addHumanUser({ organization: { org: { case: "orgId", value: org.organizationId } },
      username: `key-${name}`, profile: { givenName: "Soft", familyName: "Key" } });
    const registered = await users.registerU2F({ userId, domain: "localhost" });
    assert.match(registered.u2fId, /^\d+$/);
    const options = registered.publicKeyCredentialCreationOptions;
    assert.equal(options.publicKey.rp.id, "localhost");
    assert.equal(options.publicKey.attestation, "none");
    const key = new SoftKey();
    const verified = await users.verifyU2FRegistration({ userId, u2fId: registered.u2fId,
      publicKeyCredential: key.create(options), tokenName: `${name} key` });
    assert.ok(verified.details.sequence > 0n);
    // a second verification of the same registration is refused
    await assert.rejects(users.verifyU2FRegistration({ userId, u2fId: registered.u2fId,
      publicKeyCredential: key.create(options), tokenName: "again" }), (e) => e instanceof ConnectError && /WEBAUTHN-verified/.test(e.message));

    const sessions = createSessionServiceClient(transport());
    const created = await sessions.createSession({ checks: { user: { search: { case: "userId", value: userId } } },
      challenges: { webAuthN: { domain: "localhost" } } });
    const requestOptions = created.challenges.webAuthN.publicKeyCredentialRequestOptions;
    assert.equal(requestOptions.publicKey.allowCredentials[0].id, key.create(options).id);
    await sessions.setSession({ sessionId: created.sessionId, checks: { webAuthN: { credentialAssertionData: key.get(requestOptions) } } });
    const { session } = await sessions.getSession({ sessionId: created.sessionId });
    assert.ok(session.factors.webAuthN.verifiedAt, "factors.webAuthN.verifiedAt is set");
    results[name] = { userId, u2fId: registered.u2fId, sessionId: created.sessionId };
  });
}
