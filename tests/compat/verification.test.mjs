// Verification through @ory/client: a native app and an SPA verify an address with the mailed code.
// Skipped when the server under test has verification disabled (run.sh's config decides).
import { test } from "node:test";
import assert from "node:assert/strict";
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
const probe = await api.createNativeVerificationFlow();
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

test("native verification with the mailed code", { skip: !enabled && "verification is disabled" }, async () => {
  const email = uniqueEmail("verify-native");
  const id = await register(email);
  const flow = await api.createNativeVerificationFlow();
  assert.equal(flow.status, 200);
  assertShape("verificationFlow", flow.data);
  assert.equal(flow.data.state, "choose_method");

  const sent = await api.updateVerificationFlow({ flow: flow.data.id, updateVerificationFlowBody: { method: "code", email } });
  assert.equal(sent.status, 200);
  assert.equal(sent.data.state, "sent_email");
  assert.deepEqual(sent.data.ui.messages.map((m) => m.id), [1080003]);

  const wrong = await api.updateVerificationFlow({ flow: flow.data.id, updateVerificationFlowBody: { method: "code", code: "0000000" } });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.data.ui.messages.map((m) => m.id), [4070006]);

  const message = await lastMessage(email, "verification_code_valid");
  const done = await api.updateVerificationFlow({
    flow: flow.data.id,
    updateVerificationFlowBody: { method: "code", code: codeIn(message.body) },
  });
  assert.equal(done.status, 200);
  assert.equal(done.data.state, "passed_challenge");
  assert.deepEqual(done.data.ui.messages.map((m) => m.id), [1080002]);

  const identity = await admin().getIdentity({ id });
  assert.equal(identity.data.verifiable_addresses[0].verified, true);
  assert.equal(identity.data.verifiable_addresses[0].status, "completed");
});

test("SPA verification with cookies and the CSRF token", { skip: !enabled && "verification is disabled" }, async () => {
  const email = uniqueEmail("verify-spa");
  await register(email);
  const jar = new Jar();
  const browser = () => frontend({ Cookie: jar.header(), Accept: "application/json" });
  const flow = jar.store(await browser().createBrowserVerificationFlow());
  assert.equal(flow.status, 200);
  assert.equal(flow.data.type, "browser");
  const sent = jar.store(await browser().updateVerificationFlow({
    flow: flow.data.id,
    updateVerificationFlowBody: { method: "code", email, csrf_token: csrfOf(flow.data) },
  }));
  assert.equal(sent.status, 200);
  const fetched = await browser().getVerificationFlow({ id: flow.data.id });
  assert.equal(fetched.status, 200);
  assert.equal(fetched.data.state, "sent_email");
  const message = await lastMessage(email, "verification_code_valid");
  const done = await browser().updateVerificationFlow({
    flow: flow.data.id,
    updateVerificationFlowBody: { method: "code", code: codeIn(message.body), csrf_token: csrfOf(fetched.data) },
  });
  assert.equal(done.status, 200);
  assert.equal(done.data.state, "passed_challenge");
});

test("an unknown address gets the same answer", { skip: !enabled && "verification is disabled" }, async () => {
  const flow = await api.createNativeVerificationFlow();
  const sent = await api.updateVerificationFlow({
    flow: flow.data.id,
    updateVerificationFlowBody: { method: "code", email: uniqueEmail("nobody") },
  });
  assert.equal(sent.status, 200);
  assert.equal(sent.data.state, "sent_email");
  assert.deepEqual(sent.data.ui.messages.map((m) => m.id), [1080003]);
});
