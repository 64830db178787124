// Security keys from a real browser: Debian's Chromium (driven by playwright-core) with a CDP virtual
// authenticator (CTAP2 over USB, no resident key, user verification on). The page, served from
// http://localhost:<MFA_PAGE_PORT>, calls RegisterU2F, navigator.credentials.create(), VerifyU2FRegistration, then
// CreateSession with a webAuthN challenge, navigator.credentials.get() and SetSession with the assertion: the
// session shows factors.webAuthN. The same page from http://localhost:<MFA_OTHER_PORT> (an origin the service does
// not list in MFA_WEBAUTHN_ORIGINS) is refused at verification. Run by SecurityKeyBrowserTest; skipped without
// Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.MFA_CHROMIUM ?? "/usr/bin/chromium";
const baseUrl = process.env.MFA_BASE_URL;
const token = process.env.MFA_TOKEN;
const pagePort = Number(process.env.MFA_PAGE_PORT);
const otherPort = Number(process.env.MFA_OTHER_PORT);
const skip = !existsSync(CHROMIUM) || !pagePort ? `no browser here (${CHROMIUM}) or no MFA_PAGE_PORT` : false;

// The page's own code: what a login app does with ZITADEL's options (base64url ⇄ ArrayBuffer) and the REST API.
const PAGE = `<!doctype html><title>security key</title><script>
const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
const bin = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
async function api(base, token, method, path, body) {
  const r = await fetch(base + path, { method, headers: { authorization: "Bearer " + token,
    "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}
window.enrol = async (base, token, userId) => {
  const started = await api(base, token, "POST", "/v2/users/" + userId + "/u2f", { domain: "localhost" });
  if (started.status !== 200) return { step: "register", ...started };
  const pk = started.body.publicKeyCredentialCreationOptions.publicKey;
  const cred = await navigator.credentials.create({ publicKey: { ...pk, challenge: bin(pk.challenge),
    user: { ...pk.user, id: bin(pk.user.id) }, excludeCredentials: pk.excludeCredentials.map((c) => ({ ...c, id: bin(c.id) })) } });
  const publicKeyCredential = { id: cred.id, rawId: b64(cred.rawId), type: cred.type, response: {
    attestationObject: b64(cred.response.attestationObject), clientDataJSON: b64(cred.response.clientDataJSON),
    transports: cred.response.getTransports ? cred.response.getTransports() : [] } };
  const verified = await api(base, token, "POST", "/v2/users/" + userId + "/u2f/" + started.body.u2fId,
    { publicKeyCredential, tokenName: "chromium key" });
  return { step: "verify", u2fId: started.body.u2fId, ...verified };
};
window.signIn = async (base, token, userId) => {
  const created = await api(base, token, "POST", "/v2/sessions", { checks: { user: { userId } },
    challenges: { webAuthN: { domain: "localhost", userVerificationRequirement: "USER_VERIFICATION_REQUIREMENT_REQUIRED" } } });
  if (created.status !== 201) return { step: "create", ...created };
  const pk = created.body.challenges.webAuthN.publicKeyCredentialRequestOptions.publicKey;
  const cred = await navigator.credentials.get({ publicKey: { ...pk, challenge: bin(pk.challenge),
    allowCredentials: pk.allowCredentials.map((c) => ({ ...c, id: bin(c.id) })) } });
  const credentialAssertionData = { id: cred.id, rawId: b64(cred.rawId), type: cred.type, response: {
    authenticatorData: b64(cred.response.authenticatorData), clientDataJSON: b64(cred.response.clientDataJSON),
    signature: b64(cred.response.signature), userHandle: cred.response.userHandle ? b64(cred.response.userHandle) : "" } };
  const checked = await api(base, token, "PATCH", "/v2/sessions/" + created.body.sessionId,
    { checks: { webAuthN: { credentialAssertionData } } });
  if (checked.status !== 200) return { step: "check", ...checked };
  const got = await api(base, token, "GET", "/v2/sessions/" + created.body.sessionId);
  return { step: "get", sessionId: created.body.sessionId, ...got };
};
</script>`;

let servers = [];
let browser;
const created = {};

async function adminCall(method, path, body) {
  const r = await fetch(baseUrl + path, { method, headers: { authorization: `Bearer ${token}`,
    "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
  return r.json();
}

async function newUser(name) {
  const org = await adminCall("POST", "/v2/organizations", { name: `Keys ${randomBytes(4).toString("hex")}` });
  const user = await adminCall("POST", "/v2/users/human", { organization: { orgId: org.organizationId }, username: name,
    profile: { givenName: "Chromium", familyName: "Key" } });
  return user.userId;
}

/** A page of `port` with its own virtual security key. */
async function pageWithKey(port) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { protocol: "ctap2", transport: "usb",
    hasResidentKey: false, hasUserVerification: true, isUserVerified: true } });
  await page.goto(`http://localhost:${port}/`);
  return page;
}

before(async () => {
  if (skip) return;
  for (const port of [pagePort, otherPort]) {
    const server = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    await new Promise((done) => server.listen(port, "127.0.0.1", done));
    servers.push(server);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
});

after(async () => {
  await browser?.close();
  servers.forEach((s) => s.close());
  if (process.env.MFA_RESULTS) writeFileSync(process.env.MFA_RESULTS, JSON.stringify(created));
});

test("chromium: a security key enrols and signs in from the configured origin", { skip }, async () => {
  const userId = await newUser("chromium-user");
  const page = await pageWithKey(pagePort);
  try {
    const enrolled = await page.evaluate(([b, t, u]) => window.enrol(b, t, u), [baseUrl, token, userId]);
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled));
    const signedIn = await page.evaluate(([b, t, u]) => window.signIn(b, t, u), [baseUrl, token, userId]);
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn));
    const factor = signedIn.body.session.factors.webAuthN;
    assert.ok(factor?.verifiedAt, JSON.stringify(signedIn.body));
    assert.equal(factor.userVerified, true);
    Object.assign(created, { userId, u2fId: enrolled.u2fId, sessionId: signedIn.sessionId });
  } finally {
    await page.close();
  }
});

test("chromium: the same page from an origin the service does not list is refused at verification", { skip }, async () => {
  const userId = await newUser("elsewhere-user");
  const page = await pageWithKey(otherPort);
  try {
    const refused = await page.evaluate(([b, t, u]) => window.enrol(b, t, u), [baseUrl, token, userId]);
    assert.equal(refused.step, "verify", JSON.stringify(refused));
    assert.equal(refused.status, 400, JSON.stringify(refused));
    assert.equal(refused.body.details[0].id, "WEBAUTHN-origin");
    created.refusedUserId = userId;
  } finally {
    await page.close();
  }
});
