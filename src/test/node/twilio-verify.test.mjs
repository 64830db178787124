// Twilio's own Node.js helper library (npm `twilio`), unmodified, against mfa-service's Verify v2 API, pointed at it
// the way README's "Leaving Twilio Verify" shows: `client.verify.baseUrl`. Run by
// dev.mfaservice.twilioverify.TwilioNodeClientTest, which starts the service (behind a forwarder that checks every
// answer against openapi/twilio-verify-v2.yaml) and a Twilio-speaking SMS server, and passes:
// MFA_BASE_URL, VERIFY_ACCOUNT_SID + VERIFY_AUTH_TOKEN (an org's credential), MFA_SMS_API (the SMS server, whose
// Messages list gives the codes sent) and MFA_RESULTS (the sids made here, for the Java side to check in PostgreSQL).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import twilio from "twilio";

const { MFA_BASE_URL: baseUrl, VERIFY_ACCOUNT_SID: accountSid, VERIFY_AUTH_TOKEN: authToken, MFA_SMS_API: smsApi } =
  process.env;
assert.ok(baseUrl && accountSid && authToken && smsApi, "MFA_BASE_URL, VERIFY_* and MFA_SMS_API are required");
const results = {};
after(() => process.env.MFA_RESULTS && writeFileSync(process.env.MFA_RESULTS, JSON.stringify(results, null, 2)));

/** A client of this org's credential, its Verify domain moved to mfa-service. */
function client(sid = accountSid, token = authToken) {
  const c = twilio(sid, token);
  c.verify.baseUrl = baseUrl;
  return c;
}

/** The codes the SMS server received for `to`, newest first (Twilio's Messages list). */
async function smsCodes(to, count) {
  for (let tries = 0; tries < 200; tries++) {
    const answer = await fetch(`${smsApi}/2010-04-01/Accounts/${accountSid}/Messages.json?To=${encodeURIComponent(to)}`);
    const { messages } = await answer.json();
    if (messages.length >= count) return messages.map((m) => m.body.match(/(\d{6})/)[1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`fewer than ${count} SMS to ${to}`);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) of a base32 secret at a time step: the app's authenticator, written here. */
function totp(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** The Twilio error a call is refused with (RestException: HTTP status, Twilio code). */
async function refusal(call) {
  const error = await call().then(() => null, (e) => e);
  assert.ok(error, "the call was refused");
  return { status: error.status, code: error.code, moreInfo: error.moreInfo };
}

test("SMS verification round trip", async () => {
  const verify = client().verify.v2;
  const service = await verify.services.create({ friendlyName: "Node shop", codeLength: 6 });
  assert.match(service.sid, /^VA[0-9a-f]{32}$/);
  results.smsService = service.sid;
  const to = "+41791234567";
  const started = await verify.services(service.sid).verifications.create({ to, channel: "sms" });
  assert.equal(started.status, "pending");
  assert.equal(started.valid, false);
  assert.match(started.sid, /^VE[0-9a-f]{32}$/);
  assert.equal(started.sendCodeAttempts.length, 1);
  results.verification = started.sid;
  const [code] = await smsCodes(to, 1);

  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  const missed = await verify.services(service.sid).verificationChecks.create({ to, code: wrong });
  assert.equal(missed.status, "pending");
  assert.equal(missed.valid, false);

  const again = await verify.services(service.sid).verifications.create({ to, channel: "sms" });
  assert.equal(again.sid, started.sid, "a second create within ten minutes is the same verification");
  assert.equal(again.sendCodeAttempts.length, 2);
  assert.deepEqual(await smsCodes(to, 2), [code, code], "the same code sent again");

  const approved = await verify.services(service.sid).verificationChecks.create({ verificationSid: started.sid, code });
  assert.equal(approved.status, "approved");
  assert.equal(approved.valid, true);
  assert.deepEqual(await refusal(() => verify.services(service.sid).verifications(started.sid).fetch()),
    { status: 404, code: 20404, moreInfo: "https://www.twilio.com/docs/errors/20404" });
  assert.deepEqual(await refusal(() => verify.services(service.sid).verificationChecks.create({ to, code })),
    { status: 404, code: 20404, moreInfo: "https://www.twilio.com/docs/errors/20404" });
});

test("refusals arrive as the library's RestException with Twilio's codes", async () => {
  const verify = client().verify.v2;
  const service = await verify.services.create({ friendlyName: "Node refusals" });
  assert.deepEqual(await refusal(() => verify.services(service.sid).verifications.create({ to: "0791234567", channel: "sms" })),
    { status: 400, code: 60200, moreInfo: "https://www.twilio.com/docs/errors/60200" });
  assert.equal((await refusal(() => verify.services(service.sid).verifications.create({ to: "+41791234568", channel: "call" }))).code,
    60223);
  assert.equal((await refusal(() => verify.services(service.sid).verificationChecks.create({ code: "123456" }))).code, 60221);
  const stranger = client(accountSid, "not-the-token").verify.v2;
  assert.deepEqual(await refusal(() => stranger.services(service.sid).fetch()),
    { status: 401, code: 20003, moreInfo: "https://www.twilio.com/docs/errors/20003" });
});

test("services are listed page by page, following the answer's next_page_url", async () => {
  const verify = client().verify.v2;
  const made = [];
  for (const name of ["Node page 1", "Node page 2", "Node page 3"]) made.push((await verify.services.create({ friendlyName: name })).sid);
  const listed = await verify.services.list({ pageSize: 2 });
  for (const sid of made) assert.ok(listed.some((s) => s.sid === sid), `${sid} listed`);
  const updated = await verify.services(made[0]).update({ friendlyName: "Node renamed" });
  assert.equal(updated.friendlyName, "Node renamed");
  assert.equal(await verify.services(made[0]).remove(), true);
  assert.equal((await refusal(() => verify.services(made[0]).fetch())).code, 20404);
});

test("TOTP factor and challenge round trip", async () => {
  const verify = client().verify.v2;
  const service = await verify.services.create({ friendlyName: "Node TOTP" });
  const identity = "ff483d1f-f3c0-4c23-b0cc-2b1d4e0a5f01";
  const entity = verify.services(service.sid).entities(identity);
  const factor = await entity.newFactors.create({ friendlyName: "Ada's phone", factorType: "totp" });
  assert.match(factor.sid, /^YF[0-9a-f]{32}$/);
  assert.equal(factor.status, "unverified");
  assert.ok(factor.binding.uri.startsWith("otpauth://totp/"), factor.binding.uri);
  const secret = factor.binding.secret;
  results.factor = factor.sid;
  const step = Math.floor(Date.now() / 1000 / 30);

  const missed = await entity.factors(factor.sid).update({ authPayload: totp(secret, step + 5) });
  assert.equal(missed.status, "unverified", "a wrong code is not an error");
  const verified = await entity.factors(factor.sid).update({ authPayload: totp(secret, step) });
  assert.equal(verified.status, "verified");
  assert.equal(verified.binding, undefined, "the binding only in the create answer");

  // a sign-in: a challenge with the code of the next time step (the step above was used: never accepted again)
  const approved = await entity.challenges.create({ factorSid: factor.sid, authPayload: totp(secret, step + 1) });
  assert.match(approved.sid, /^YC[0-9a-f]{32}$/);
  assert.equal(approved.status, "approved");
  const replayed = await entity.challenges.create({ factorSid: factor.sid, authPayload: totp(secret, step + 1) });
  assert.equal(replayed.status, "pending", "the same code again is refused: replay");
  const listed = await entity.challenges.list({ factorSid: factor.sid });
  assert.deepEqual(listed.map((c) => c.status).sort(), ["approved", "pending"]);
  assert.equal(await entity.remove(), true);
  assert.equal((await refusal(() => entity.factors(factor.sid).fetch())).code, 20404);
});
