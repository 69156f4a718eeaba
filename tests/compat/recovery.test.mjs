// Account recovery through @ory/client: mailed codes for native apps and SPAs, and the admin-issued recovery
// code and link. Skipped when the server under test has recovery disabled (run.sh's config decides).
import { test } from "node:test";
import assert from "node:assert/strict";
import axios from "axios";
import { frontend, admin, Jar, assertShape, csrfOf, uniqueEmail, PASSWORD, ADMIN } from "./harness.mjs";
import { Configuration, CourierApi } from "@ory/client";

// What Warden mailed, read through the admin courier API (listCourierMessages): no SMTP server needed.
const courier = new CourierApi(new Configuration({ basePath: ADMIN }));

/** The newest message of `templateType` queued for `recipient` (polls briefly: queuing is part of the request, but be lenient). */
async function lastMessage(recipient, templateType) {
  for (let i = 0; i < 50; i++) {
    const res = await courier.listCourierMessages({ recipient });
    const found = res.data.filter((m) => m.template_type === templateType);
    if (found.length > 0) return found.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${templateType} message for ${recipient}`);
}

/** A six-digit run that is not part of a word or an address (the recipient name may contain digits). */
const codeIn = (body) => {
  const m = /(?<![0-9A-Za-z-])[0-9]{6}(?![0-9A-Za-z@-])/.exec(body);
  if (!m) throw new Error(`no code in: ${body}`);
  return m[0];
};

const api = frontend();
const probe = await api.createNativeRecoveryFlow();
const enabled = probe.status === 200;

async function register(email) {
  const reg = await api.createNativeRegistrationFlow();
  const done = await api.updateRegistrationFlow({
    flow: reg.data.id,
    updateRegistrationFlowBody: { method: "password", password: PASSWORD, traits: { email } },
  });
  assert.equal(done.status, 200);
  return done.data.identity.id;
}

const action = (list, name) => list.find((c) => c.action === name);

test("native recovery with the mailed code ends signed in with a settings flow", { skip: !enabled && "recovery is disabled" }, async () => {
  const email = uniqueEmail("recover-native");
  const id = await register(email);
  const flow = await api.createNativeRecoveryFlow();
  assert.equal(flow.status, 200);
  assertShape("recoveryFlow", flow.data);
  const sent = await api.updateRecoveryFlow({ flow: flow.data.id, updateRecoveryFlowBody: { method: "code", email } });
  assert.equal(sent.status, 200);
  assert.equal(sent.data.state, "sent_email");
  assert.deepEqual(sent.data.ui.messages.map((m) => m.id), [1060003]);

  const message = await lastMessage(email, "recovery_code_valid");
  const done = await api.updateRecoveryFlow({
    flow: flow.data.id,
    updateRecoveryFlowBody: { method: "code", code: codeIn(message.body) },
  });
  assert.equal(done.status, 200);
  assertShape("recoveryFlow", done.data);
  assert.equal(done.data.state, "passed_challenge");
  const token = action(done.data.continue_with, "set_ory_session_token").ory_session_token;
  const settings = action(done.data.continue_with, "show_settings_ui").flow;
  assertShape("continueWithSettingsUiFlow", settings);

  const session = await api.toSession({ xSessionToken: token });
  assert.equal(session.status, 200);
  assert.equal(session.data.identity.id, id);
  assert.equal(session.data.authentication_methods[0].method, "code_recovery");
  const settingsFlow = await api.getSettingsFlow({ id: settings.id, xSessionToken: token });
  assert.equal(settingsFlow.status, 200);
  assert.ok(settingsFlow.data.ui.messages.some((m) => m.id === 1060001));
});

test("SPA recovery answers 422 browser_location_change_required", { skip: !enabled && "recovery is disabled" }, async () => {
  const email = uniqueEmail("recover-spa");
  await register(email);
  const jar = new Jar();
  const browser = () => frontend({ Cookie: jar.header(), Accept: "application/json" });
  const flow = jar.store(await browser().createBrowserRecoveryFlow());
  assert.equal(flow.status, 200);
  jar.store(await browser().updateRecoveryFlow({
    flow: flow.data.id,
    updateRecoveryFlowBody: { method: "code", email, csrf_token: csrfOf(flow.data) },
  }));
  const message = await lastMessage(email, "recovery_code_valid");
  const done = jar.store(await browser().updateRecoveryFlow({
    flow: flow.data.id,
    updateRecoveryFlowBody: { method: "code", code: codeIn(message.body), csrf_token: csrfOf(flow.data) },
  }));
  assert.equal(done.status, 422);
  assert.equal(done.data.error.id, "browser_location_change_required");
  assert.match(done.data.redirect_browser_to, /settings\?flow=/);
  const session = await browser().toSession();
  assert.equal(session.status, 200);
});

test("admin recovery code and link", { skip: !enabled && "recovery is disabled" }, async () => {
  const id = await register(uniqueEmail("recover-admin"));
  const code = await admin().createRecoveryCodeForIdentity({
    createRecoveryCodeForIdentityBody: { identity_id: id, expires_in: "15m", flow_type: "api" },
  });
  assert.equal(code.status, 201);
  assertShape("recoveryCodeForIdentity", code.data);
  const flowId = new URL(code.data.recovery_link).searchParams.get("flow");
  const done = await api.updateRecoveryFlow({ flow: flowId, updateRecoveryFlowBody: { method: "code", code: code.data.recovery_code } });
  assert.equal(done.status, 200);
  assert.ok(action(done.data.continue_with, "show_settings_ui"));

  const link = await admin().createRecoveryLinkForIdentity({ createRecoveryLinkForIdentityBody: { identity_id: id } });
  assert.equal(link.status, 200);
  assertShape("recoveryLinkForIdentity", link.data);
  const opened = await axios.get(link.data.recovery_link, { maxRedirects: 0, validateStatus: null, headers: { Accept: "text/html" } });
  assert.equal(opened.status, 303);
  assert.match(opened.headers.location, /settings\?flow=/);
  const again = await axios.get(link.data.recovery_link, { maxRedirects: 0, validateStatus: null, headers: { Accept: "text/html" } });
  assert.doesNotMatch(again.headers.location, /settings\?flow=/);

  const missing = await admin().createRecoveryCodeForIdentity({
    createRecoveryCodeForIdentityBody: { identity_id: "00000000-0000-4000-8000-00000000dead" },
  }).catch((e) => e.response);
  assert.equal(missing.status, 404);
});
