// gRPC-web from a real browser (Debian's Chromium, driven by playwright-core): @zitadel/client's
// web transport bundled into a page served from another origin, so CORS is exercised as a web
// app meets it. Run by ZitadelClientsTest, which starts the service with MFA_HTTP_CORS_ORIGINS
// set to this page's origin (MFA_BROWSER_PORT). Skipped when there is no Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { Code } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createOrganizationServiceClient, createUserServiceClient } from "@zitadel/client/v2";

const CHROMIUM = process.env.MFA_CHROMIUM ?? "/usr/bin/chromium";
const baseUrl = process.env.MFA_BASE_URL;
const token = process.env.MFA_TOKEN;
const port = Number(process.env.MFA_BROWSER_PORT);
const skip = !existsSync(CHROMIUM) || !port ? `no browser here (${CHROMIUM}) or no MFA_BROWSER_PORT` : false;

let server;
let browser;
let userId;

before(async () => {
  if (skip) return;
  const bundle = await build({ entryPoints: ["browser-entry.mjs"], bundle: true, write: false, format: "iife",
    platform: "browser", logLevel: "silent" });
  const script = bundle.outputFiles[0].text;
  server = createServer((req, res) => {
    if (req.url === "/bundle.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else {
      res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><script src="/bundle.js"></script>');
    }
  });
  await new Promise((done) => server.listen(port, "127.0.0.1", done));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const transport = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [NewAuthorizationBearerInterceptor(token)] });
  const org = await createOrganizationServiceClient(transport).addOrganization({ name: `Browser ${randomBytes(4).toString("hex")}` });
  ({ userId } = await createUserServiceClient(transport).addHumanUser({
    organization: { org: { case: "orgId", value: org.organizationId } }, username: "browser-user",
    profile: { givenName: "Web", familyName: "Page" } }));
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function fromPage(origin, user) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(([b, t, u]) => window.getUser(b, t, u), [baseUrl, token, user]);
  } finally {
    await page.close();
  }
}

test("browser, allowed origin: gRPC-web call and its error", { skip }, async () => {
  const found = await fromPage(`http://127.0.0.1:${port}`, userId);
  assert.deepEqual(found, { ok: true, userId, username: "browser-user" });
  const missing = await fromPage(`http://127.0.0.1:${port}`, "999999999999");
  assert.equal(missing.ok, false);
  assert.equal(missing.code, Code.NotFound, `the status reaches the page (exposed headers): ${missing.message}`);
  assert.match(missing.message, /COMMAND-SqyJz/);
});

test("browser, another origin: the browser refuses the answer", { skip }, async () => {
  // localhost is the same server as 127.0.0.1, but another origin, not in MFA_HTTP_CORS_ORIGINS
  const refused = await fromPage(`http://localhost:${port}`, userId);
  assert.equal(refused.ok, false);
  assert.notEqual(refused.code, Code.NotFound);
  assert.match(refused.message, /fetch/i, "a CORS refusal is a failed fetch");
});
