// Native (API) flows: no cookies, session tokens — as a mobile app or a CLI uses them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frontend, frontendStrict, assertShape, uniqueEmail, PASSWORD } from "./harness.mjs";

test("native registration, whoami, login, logout", async () => {
  const api = frontendStrict();
  const email = uniqueEmail("native");

  const reg = await api.createNativeRegistrationFlow();
  assertShape("registrationFlow", reg.data);
  assert.equal(reg.data.type, "api");
  const names = reg.data.ui.nodes.map((n) => n.attributes.name);
  assert.ok(names.includes("traits.email") && names.includes("password") && names.includes("method"));
  assert.ok(!names.includes("csrf_token") || reg.data.ui.nodes.find((n) => n.attributes.name === "csrf_token").attributes.value === "");

  const done = await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email } },
  });
  assertShape("successfulNativeRegistration", done.data);
  assert.match(done.data.session_token, /^ory_st_[A-Za-z0-9]{32}$/);
  assertShape("session", done.data.session);

  const me = await api.toSession({ xSessionToken: done.data.session_token });
  assertShape("session", me.data);
  assert.equal(me.data.identity.traits.email, email);
  assert.equal(me.data.identity.credentials, undefined);

  const login = await api.createNativeLoginFlow();
  assertShape("loginFlow", login.data);
  const wrong = await frontend().updateLoginFlow({
    flow: login.data.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: "not-the-password" },
  });
  assert.equal(wrong.status, 400);
  assert.ok(wrong.data.ui.messages.some((m) => m.id === 4000006));

  const ok = await api.updateLoginFlow({
    flow: login.data.id,
    updateLoginFlowBody: { method: "password", identifier: email.toUpperCase(), password: PASSWORD },
  });
  assertShape("successfulNativeLogin", ok.data);
  assert.match(ok.data.session_token, /^ory_st_/);

  const out = await api.performNativeLogout({ performNativeLogoutBody: { session_token: ok.data.session_token } });
  assert.equal(out.status, 204);
  const after = await frontend().toSession({ xSessionToken: ok.data.session_token });
  assert.equal(after.status, 401);
  assertShape("errorGeneric", after.data);
});
