// Admin identities API through the SDK's IdentityApi.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { admin, assertShape, uniqueEmail } from "./harness.mjs";

// The committed copy of api.json's required fields must match the spec whenever ../shared is present, so a
// clone without it checks the same shapes. (Registered only when the spec is there: nothing to compare otherwise.)
const spec = new URL("../../../shared/reference/kratos/api.json", import.meta.url);
if (existsSync(spec)) {
  test("required-fields.json matches api.json", () => {
    const schemas = JSON.parse(readFileSync(spec, "utf8")).components.schemas;
    const committed = JSON.parse(readFileSync(new URL("./required-fields.json", import.meta.url), "utf8"));
    for (const [name, schema] of Object.entries(schemas)) assert.deepEqual(committed[name], schema.required ?? [], name);
  });
}


test("createIdentity, getIdentity, listIdentities, patchIdentity, deleteIdentity", async () => {
  const api = admin();
  const email = uniqueEmail("admin");
  const created = await api.createIdentity({
    createIdentityBody: { schema_id: "default", traits: { email }, credentials: { password: { config: { password: "an-imported-secret-123" } } } },
  });
  assert.equal(created.status, 201);
  assertShape("identity", created.data);
  assert.equal(created.data.traits.email, email);
  assert.equal(created.data.credentials, undefined, "credentials are not returned unless asked for");

  const got = await api.getIdentity({ id: created.data.id });
  assert.equal(got.data.id, created.data.id);
  assert.ok(got.data.verifiable_addresses.some((a) => a.value === email));
  for (const a of got.data.verifiable_addresses) assertShape("verifiableIdentityAddress", a);

  const list = await api.listIdentities({ credentialsIdentifier: email });
  assert.deepEqual(list.data.map((i) => i.id), [created.data.id]);

  const patched = await api.patchIdentity({
    id: created.data.id,
    jsonPatch: [{ op: "replace", path: "/metadata_public", value: { plan: "pro" } }],
  });
  assert.deepEqual(patched.data.metadata_public, { plan: "pro" });

  await assert.rejects(
    api.createIdentity({ createIdentityBody: { schema_id: "default", traits: { email } } }),
    (e) => e.response?.status === 409 && e.response.data.error.code === 409,
  );

  const deleted = await api.deleteIdentity({ id: created.data.id });
  assert.equal(deleted.status, 204);
  await assert.rejects(api.getIdentity({ id: created.data.id }), (e) => e.response?.status === 404);
});
