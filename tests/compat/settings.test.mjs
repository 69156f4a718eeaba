// Settings flows through @ory/client: profile and password changes for native apps and SPAs, and a password
// change on a session signed in too long ago, which waits (hashed, server-side) for a refresh login.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { frontend, Jar, assertShape, csrfOf, uniqueEmail, PASSWORD, PUBLIC } from "./harness.mjs";

const NEW_PASSWORD = "a-new-stapler-horse-battery-42";
const api = frontend();

async function registerNative(email) {
  const reg = await api.createNativeRegistrationFlow();
  const done = await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email } },
  });
  assert.equal(done.status, 200);
  return { token: done.data.session_token, identityId: done.data.identity.id };
}

async function loginNative(email, password, refreshToken) {
  const flow = await api.createNativeLoginFlow(refreshToken ? { refresh: true, xSessionToken: refreshToken } : {});
  assert.equal(flow.status, 200);
  return api.updateLoginFlow({
    flow: flow.data.id,
    xSessionToken: refreshToken,
    updateLoginFlowBody: { method: "password", identifier: email, password },
  });
}

// run.sh keeps the database at $WORK/compat.db (WORK defaults to <repo>/.test-work/compat).
const database = process.env.WARDEN_COMPAT_DB
  ?? (process.env.WORK ? `${process.env.WORK}/compat.db` : fileURLToPath(new URL("../../.test-work/compat/compat.db", import.meta.url)));
const canAgeSessions = existsSync(database) && (() => {
  try { execFileSync("sqlite3", ["-version"]); return true; } catch { return false; }
})();

test("native settings: the flow shape, a profile change and a password change with a fresh session", async () => {
  const email = uniqueEmail("settings-native");
  const { token, identityId } = await registerNative(email);

  const flow = await api.createNativeSettingsFlow({ xSessionToken: token });
  assert.equal(flow.status, 200);
  assertShape("settingsFlow", flow.data);
  assert.equal(flow.data.identity.id, identityId);
  assert.equal(flow.data.state, "show_form");
  assert.deepEqual([...new Set(flow.data.ui.nodes.map((n) => n.group))], ["default", "profile", "password"]);
  assert.equal(flow.data.ui.nodes.find((n) => n.attributes.name === "traits.email").attributes.value, email);

  const fetched = await api.getSettingsFlow({ id: flow.data.id, xSessionToken: token });
  assert.equal(fetched.status, 200);
  const stranger = await registerNative(uniqueEmail("settings-stranger"));
  const foreign = await api.getSettingsFlow({ id: flow.data.id, xSessionToken: stranger.token });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.data.error.id, "security_identity_mismatch");
  const anonymous = await api.createNativeSettingsFlow();
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.data.error.id, "session_inactive");

  // The default schema has one trait, the e-mail address: changing it moves the sign-in identifier.
  const changed = uniqueEmail("settings-native-changed");
  const profile = await api.updateSettingsFlow({
    flow: flow.data.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: "profile", traits: { email: changed } },
  });
  assert.equal(profile.status, 200);
  assertShape("settingsFlow", profile.data);
  assert.equal(profile.data.state, "success");
  assert.ok(profile.data.ui.messages.some((m) => m.id === 1050001));
  assert.equal(profile.data.identity.traits.email, changed);
  assert.equal(profile.data.identity.verifiable_addresses[0].value, changed);
  assert.equal(profile.data.identity.verifiable_addresses[0].verified, false);
  const invalid = await api.updateSettingsFlow({
    flow: flow.data.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: "profile", traits: { email: "not-an-address" } },
  });
  assert.equal(invalid.status, 400);
  assert.ok(invalid.data.ui.nodes.find((n) => n.attributes.name === "traits.email").messages.length > 0);

  const weak = await api.updateSettingsFlow({
    flow: flow.data.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: "password", password: "short" },
  });
  assert.equal(weak.status, 400);
  assert.ok(weak.data.ui.nodes.find((n) => n.attributes.name === "password").messages.some((m) => m.id === 4000032));

  const password = await api.updateSettingsFlow({
    flow: flow.data.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: "password", password: NEW_PASSWORD },
  });
  assert.equal(password.status, 200);
  assert.equal(password.data.state, "success");
  assert.equal((await loginNative(changed, NEW_PASSWORD)).status, 200);
  assert.equal((await loginNative(changed, PASSWORD)).status, 400);
  assert.equal((await loginNative(email, NEW_PASSWORD)).status, 400, "the old identifier no longer signs in");
});

test("browser (SPA) settings: CSRF, profile change, password change", async () => {
  const jar = new Jar();
  const browser = frontend({ Accept: "application/json" });
  const email = uniqueEmail("settings-spa");
  const reg = jar.store(await browser.createBrowserRegistrationFlow());
  jar.store(await browser.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email }, csrf_token: csrfOf(reg.data) },
    cookie: jar.header(),
  }));

  const flow = jar.store(await browser.createBrowserSettingsFlow({ cookie: jar.header() }));
  assert.equal(flow.status, 200);
  assertShape("settingsFlow", flow.data);
  assert.equal(flow.data.type, "browser");

  const changed = uniqueEmail("settings-spa-changed");
  const noCsrf = await browser.updateSettingsFlow({
    flow: flow.data.id,
    updateSettingsFlowBody: { method: "profile", traits: { email: changed } },
    cookie: jar.header(),
  });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.data.error.id, "security_csrf_violation");

  const profile = await browser.updateSettingsFlow({
    flow: flow.data.id,
    updateSettingsFlowBody: { method: "profile", traits: { email: changed }, csrf_token: csrfOf(flow.data) },
    cookie: jar.header(),
  });
  assert.equal(profile.status, 200);
  assert.equal(profile.data.identity.traits.email, changed);

  const password = await browser.updateSettingsFlow({
    flow: flow.data.id,
    updateSettingsFlowBody: { method: "password", password: NEW_PASSWORD, csrf_token: csrfOf(flow.data) },
    cookie: jar.header(),
  });
  assert.equal(password.status, 200);
  assert.equal((await loginNative(changed, NEW_PASSWORD)).status, 200);

  const anonymous = await browser.createBrowserSettingsFlow();
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.data.error.id, "session_inactive");
});

test("password change on a stale session waits for a refresh login, then applies", { skip: canAgeSessions ? false : `no sqlite3 or database at ${database}` }, async () => {
  const email = uniqueEmail("settings-stale");
  const { token, identityId } = await registerNative(email);
  // Age the session past privileged_session_max_age (15m by default) instead of waiting.
  execFileSync("sqlite3", [database, `UPDATE sessions SET authenticated_at = '2000-01-01T00:00:00.000000Z' WHERE identity_id = '${identityId}';`]);

  const flow = await api.createNativeSettingsFlow({ xSessionToken: token });
  const refused = await api.updateSettingsFlow({
    flow: flow.data.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: "password", password: NEW_PASSWORD },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.data.error.id, "session_refresh_required");
  // needsPrivilegedSessionError: the error plus redirect_browser_to at the top level.
  assertShape("errorGeneric", refused.data);
  assert.equal(refused.data.error.details.redirect_browser_to, refused.data.redirect_browser_to);
  const target = new URL(refused.data.redirect_browser_to);
  assert.equal(target.searchParams.get("refresh"), "true");
  assert.equal(target.searchParams.get("return_to"), `${PUBLIC}/self-service/settings?flow=${flow.data.id}`);
  assert.equal((await loginNative(email, PASSWORD)).status, 200, "nothing applied yet");

  const refreshed = await loginNative(email, PASSWORD, token);
  assert.equal(refreshed.status, 200);
  const fresh = refreshed.data.session_token ?? token;
  // Back at the flow (where a browser lands after the refresh login): the parked change is applied.
  const resumed = await fetch(`${PUBLIC}/self-service/settings?flow=${flow.data.id}`, {
    headers: { Accept: "application/json", "X-Session-Token": fresh },
  });
  assert.equal(resumed.status, 200);
  const body = await resumed.json();
  assertShape("settingsFlow", body);
  assert.equal(body.state, "success");
  assert.equal((await loginNative(email, NEW_PASSWORD)).status, 200);
  assert.equal((await loginNative(email, PASSWORD)).status, 400);
});
