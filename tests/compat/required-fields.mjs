// Regenerates required-fields.json (facts from Kratos' api.json: which fields each response schema requires)
// so the suite runs in a clone without ../shared. Run: node required-fields.mjs
import { readFileSync, writeFileSync } from "node:fs";
const spec = JSON.parse(readFileSync(new URL("../../../shared/reference/kratos/api.json", import.meta.url), "utf8"));
const keep = ["identity", "session", "loginFlow", "registrationFlow", "settingsFlow", "recoveryFlow", "verificationFlow",
  "logoutFlow", "successfulNativeLogin", "successfulNativeRegistration", "uiContainer", "uiNode", "uiText",
  "identitySchemaContainer", "errorGeneric", "genericError", "verifiableIdentityAddress", "recoveryIdentityAddress",
  "sessionAuthenticationMethod", "sessionDevice", "flowError", "healthStatus", "version", "deleteMySessionsCount",
  "courierMessage", "messageDispatch", "recoveryLinkForIdentity", "recoveryCodeForIdentity", "continueWith"];
const out = {};
for (const k of keep) if (spec.components.schemas[k]) out[k] = spec.components.schemas[k].required ?? [];
writeFileSync(new URL("./required-fields.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
