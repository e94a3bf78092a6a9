// The browser's password rules (static/js/password-policy.js) on the cases the server's unit
// test runs (tests/support/files/password_cases.json): the two must agree (issue 19).
// Run: node --test tests/unit/password_policy_js.test.mjs (ctest: js_password_policy).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const root = new URL("../../", import.meta.url);
const policy = require(new URL("static/js/password-policy.js", root).pathname);
const { cases } = JSON.parse(
  readFileSync(new URL("tests/support/files/password_cases.json", root), "utf8"));

test("the browser breaks the same rules as the server", () => {
  assert.ok(cases.length >= 20);
  for (const c of cases)
    assert.deepEqual(policy.failures(c.password, c.email), c.failures, JSON.stringify(c.password));
});
