// Bundled by browser.test.mjs (esbuild) for a real browser: @zitadel/client's gRPC-web transport,
// as a web app would use it.
import { createClientTransport } from "@zitadel/client/web";
import { createUserServiceClient } from "@zitadel/client/v2";

window.getUser = async (baseUrl, token, userId) => {
  const users = createUserServiceClient(createClientTransport(token, { baseUrl }));
  try {
    const reply = await users.getUserByID({ userId });
    return { ok: true, userId: reply.user.userId, username: reply.user.username };
  } catch (e) {
    return { ok: false, code: e.code, message: e.rawMessage ?? String(e) };
  }
};
