// Session management through the SDK: a user's own sessions on the public API, every session on the admin API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Configuration, IdentityApi } from "@ory/client";
import { frontend, frontendStrict, admin, Jar, assertShape, csrfOf, uniqueEmail, PASSWORD, ADMIN } from "./harness.mjs";

const lenientAdmin = () => new IdentityApi(new Configuration({ basePath: ADMIN, baseOptions: { validateStatus: null } }));

/** Registers a user natively and signs in `extra` more times; returns the identity id and every session token. */
async function userWithSessions(tag, extra) {
  const api = frontendStrict();
  const email = uniqueEmail(tag);
  const reg = await api.createNativeRegistrationFlow();
  const done = await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email } },
  });
  const tokens = [done.data.session_token];
  for (let i = 0; i < extra; i++) {
    const login = await api.createNativeLoginFlow();
    const ok = await api.updateLoginFlow({ flow: login.data.id, updateLoginFlowBody: { method: "password", identifier: email, password: PASSWORD } });
    tokens.push(ok.data.session_token);
  }
  return { email, identityId: done.data.identity.id, tokens };
}

const whoami = async (token) => (await frontend().toSession({ xSessionToken: token })).status;
const sessionId = async (token) => (await frontendStrict().toSession({ xSessionToken: token })).data.id;

test("listMySessions pages through the caller's other sessions", async () => {
  const { tokens } = await userWithSessions("mine", 3);
  const api = frontendStrict();
  const all = await api.listMySessions({ xSessionToken: tokens[0] });
  assert.equal(all.data.length, 3);
  for (const s of all.data) {
    assertShape("session", s);
    assert.equal(s.active, true);
    assert.ok(Array.isArray(s.devices) && s.devices.length === 1);
  }
  const current = await sessionId(tokens[0]);
  assert.ok(!all.data.some((s) => s.id === current));

  const first = await api.listMySessions({ xSessionToken: tokens[0], pageSize: 2 });
  assert.equal(first.data.length, 2);
  const next = /<([^>]+)>; rel="next"/.exec([].concat(first.headers.link).join(","));
  assert.ok(next, `next link in ${first.headers.link}`);
  const token = new URL(next[1]).searchParams.get("page_token");
  const second = await api.listMySessions({ xSessionToken: tokens[0], pageSize: 2, pageToken: token });
  assert.equal(second.data.length, 1);
  assert.deepEqual(new Set([...first.data, ...second.data].map((s) => s.id)), new Set(all.data.map((s) => s.id)));

  const anonymous = await frontend().listMySessions();
  assert.equal(anonymous.status, 401);
  assertShape("errorGeneric", anonymous.data);
});

test("disableMySession and disableMyOtherSessions", async () => {
  const { tokens } = await userWithSessions("revoke", 3);
  const stranger = await userWithSessions("stranger", 0);
  const api = frontend();
  const [currentId, otherId, strangerId] = [await sessionId(tokens[0]), await sessionId(tokens[1]), await sessionId(stranger.tokens[0])];

  assert.equal((await api.disableMySession({ id: otherId, xSessionToken: tokens[0] })).status, 204);
  assert.equal(await whoami(tokens[1]), 401);
  const self = await api.disableMySession({ id: currentId, xSessionToken: tokens[0] });
  assert.equal(self.status, 400);
  assertShape("errorGeneric", self.data);
  assert.equal((await api.disableMySession({ id: strangerId, xSessionToken: tokens[0] })).status, 404);
  assert.equal(await whoami(stranger.tokens[0]), 200);

  const count = await frontendStrict().disableMyOtherSessions({ xSessionToken: tokens[0] });
  assert.equal(typeof count.data.count, "number");
  assert.equal(count.data.count, 2);
  assert.equal(await whoami(tokens[0]), 200);
  assert.equal(await whoami(tokens[2]), 401);
  assert.equal(await whoami(tokens[3]), 401);
});

test("a browser session is managed through its cookie", async () => {
  const { email, tokens } = await userWithSessions("cookie", 0);
  const api = frontend({ Accept: "application/json" });
  const jar = new Jar();
  const login = jar.store(await api.createBrowserLoginFlow());
  jar.store(await api.updateLoginFlow({
    flow: login.data.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: PASSWORD, csrf_token: csrfOf(login.data) },
    cookie: jar.header(),
  }));
  const listed = await api.listMySessions({ cookie: jar.header() });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.data.map((s) => s.id), [await sessionId(tokens[0])]);
  assert.equal((await api.disableMyOtherSessions({ cookie: jar.header() })).data.count, 1);
  assert.equal(await whoami(tokens[0]), 401);
});

test("admin session API: list, get, extend, disable, per identity", async () => {
  const { identityId, tokens } = await userWithSessions("admin", 1);
  const ids = [await sessionId(tokens[0]), await sessionId(tokens[1])];
  const api = admin();

  const listed = await api.listSessions({ active: true, expand: ["identity", "devices"], pageSize: 1000 });
  for (const id of ids) {
    const s = listed.data.find((x) => x.id === id);
    assert.ok(s, `session ${id} listed`);
    assertShape("session", s);
    assert.equal(s.identity.id, identityId);
    assert.ok(s.devices.length >= 1);
  }
  const paged = await api.listSessions({ pageSize: 1 });
  assert.equal(paged.data.length, 1);
  assert.match([].concat(paged.headers.link).join(","), /rel="next"/);

  const one = await api.getSession({ id: ids[0], expand: ["identity"] });
  assertShape("session", one.data);
  assert.equal(one.data.identity.id, identityId);

  const extended = await api.extendSession({ id: ids[0] });
  assert.equal(extended.status, 204);
  const missing = await lenientAdmin().extendSession({ id: "7f4e2b0e-53a1-4b6a-9d55-8d1c2b8f3a10" });
  assert.equal(missing.status, 404);
  assertShape("errorGeneric", missing.data);

  assert.equal((await api.disableSession({ id: ids[0] })).status, 204);
  assert.equal(await whoami(tokens[0]), 401);
  assert.equal((await api.getSession({ id: ids[0] })).data.active, false);

  const forIdentity = await api.listIdentitySessions({ id: identityId });
  assert.deepEqual(new Set(forIdentity.data.map((s) => s.id)), new Set(ids));
  const activeOnly = await api.listIdentitySessions({ id: identityId, active: true });
  assert.deepEqual(activeOnly.data.map((s) => s.id), [ids[1]]);

  assert.equal((await api.deleteIdentitySessions({ id: identityId })).status, 204);
  assert.equal(await whoami(tokens[1]), 401);
  assert.equal((await api.listIdentitySessions({ id: identityId })).data.length, 0);
});

test("deleting or deactivating an identity ends its sessions", async () => {
  const api = admin();
  const gone = await userWithSessions("deleted", 0);
  await api.deleteIdentity({ id: gone.identityId });
  assert.equal(await whoami(gone.tokens[0]), 401);

  const off = await userWithSessions("inactive", 0);
  await api.patchIdentity({ id: off.identityId, jsonPatch: [{ op: "replace", path: "/state", value: "inactive" }] });
  assert.equal(await whoami(off.tokens[0]), 401);
});
