// Regenerates required-fields.json (facts from Kratos' api.json: which fields each response schema requires)
// so the suite runs in a clone without ../shared. Run: node required-fields.mjs
import { readFileSync, writeFileSync } from "node:fs";
const spec = JSON.parse(readFileSync(new URL("../../../shared/reference/kratos/api.json", import.meta.url), "utf8"));
const out = {};
// Every schema, so a test may check any response shape without regenerating this file first.
for (const [k, v] of Object.entries(spec.components.schemas)) out[k] = v.required ?? [];
writeFileSync(new URL("./required-fields.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
