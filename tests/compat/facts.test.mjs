// The committed copy of api.json's required fields must match the spec whenever ../shared is present, so a
// clone without it checks the same shapes. (Registered only when the spec is there: nothing to compare otherwise.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";

const spec = new URL("../../../shared/reference/kratos/api.json", import.meta.url);
if (existsSync(spec)) {
  test("required-fields.json matches api.json", () => {
    const schemas = JSON.parse(readFileSync(spec, "utf8")).components.schemas;
    const committed = JSON.parse(readFileSync(new URL("./required-fields.json", import.meta.url), "utf8"));
    for (const [name, schema] of Object.entries(schemas)) assert.deepEqual(committed[name], schema.required ?? [], name);
  });
}
