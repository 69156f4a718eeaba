// Browser flows as a single-page app drives them: JSON requests, cookies carried by a jar, CSRF token from the flow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frontend, Jar, assertShape, csrfOf, uniqueEmail, PASSWORD } from "./harness.mjs";

const api = frontend({ Accept: "application/json" });

test("browser registration, whoami, logout, login with CSRF and cookies", async () => {
  const jar = new Jar();
  const email = uniqueEmail("browser");

  const reg = jar.store(await api.createBrowserRegistrationFlow());
  assert.equal(reg.status, 200);
  assertShape("registrationFlow", reg.data);
  assert.equal(reg.data.type, "browser");
  assert.ok(jar.has("csrf_token"), "CSRF cookie set");
  const csrf = csrfOf(reg.data);
  assert.ok(csrf);

  const fetched = await api.getRegistrationFlow({ id: reg.data.id, cookie: jar.header() });
  assert.equal(fetched.status, 200);

  const noCsrf = await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email } },
    cookie: jar.header(),
  });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.data.error.id, "security_csrf_violation");

  const done = jar.store(await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email }, csrf_token: csrf },
    cookie: jar.header(),
  }));
  assert.equal(done.status, 200);
  assertShape("session", done.data.session);
  assert.ok(jar.has("ory_kratos_session"), "session cookie set");

  const me = await api.toSession({ cookie: jar.header() });
  assert.equal(me.status, 200);
  assert.equal(me.data.identity.traits.email, email);

  const logout = await api.createBrowserLogoutFlow({ cookie: jar.header() });
  assert.equal(logout.status, 200);
  assertShape("logoutFlow", logout.data);
  assert.match(logout.data.logout_token, /^ory_lo_/);
  const out = jar.store(await api.updateLogoutFlow({ token: logout.data.logout_token, cookie: jar.header() }));
  assert.equal(out.status, 204);
  assert.equal((await api.toSession({ cookie: jar.header() })).status, 401);

  const login = jar.store(await api.createBrowserLoginFlow());
  assertShape("loginFlow", login.data);
  const ok = jar.store(await api.updateLoginFlow({
    flow: login.data.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: PASSWORD, csrf_token: csrfOf(login.data) },
    cookie: jar.header(),
  }));
  assert.equal(ok.status, 200);
  assert.equal((await api.toSession({ cookie: jar.header() })).status, 200);
});

test("unknown flow id is 404 in the error shape", async () => {
  const r = await api.getLoginFlow({ id: "00000000-0000-4000-8000-00000000abcd" });
  assert.equal(r.status, 404);
  assertShape("errorGeneric", r.data);
});
