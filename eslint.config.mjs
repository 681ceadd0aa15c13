import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * An import of a top-level folder, by the "@/" alias or by a relative path that climbs out to
 * it ("../../app/…"). `rest` narrows the part after the folder name.
 */
const folder = (name, rest = "(/|$)") => `^(@/|(\\.\\./)+)${name}${rest}`;
const restrict = (regex, message) => ({ regex, message });

/** The one-way imports of CONTRIBUTING.md: app → components → lib/dal, lib/actions → lib/<domain> → db. */
const TO_APP = restrict(folder("app"), "Only app/ imports from app/: move what is shared to components/ or lib/.");
const TO_COMPONENTS = restrict(folder("components"), "lib/ never imports components/: imports run app → components → lib.");
const TO_DB_FROM_UI = restrict(folder("db"), "Reads and writes go through lib/dal (or lib/actions), never @/db directly.");
const TO_DB_FROM_ACTIONS = restrict(folder("db"), "A server action never opens the database: its handler calls a write of lib/dal that takes the viewer.");
const TO_SCRIPTS = restrict(folder("scripts"), "Application code never imports scripts/.");
const TO_TESTS = restrict(folder("tests"), "Only tests import tests/.");
const TO_DAL_OR_ACTIONS = restrict(
  "^(@/lib/|\\./|(\\.\\./)+)(dal|actions)(/|$)",
  "Domain code (lib/<domain>) never imports lib/dal or lib/actions: it takes the account id as an argument.",
);
const TO_NEXT = restrict("^next(/|$)", "Only lib/dal and lib/actions in lib/ import next/*: domain code runs the same in a page, a script and a test.");
// Billing (reminders, runs) uses payments (automatic payment holds reminders back), never the other way round.
const TO_BILLING = restrict("^(@/lib/|(\\.\\./)+)billing(/|$)", "lib/payments never imports lib/billing: billing uses payments; move what both need to a module both may import.");
const TO_LIB_BUT_ENV = restrict(folder("lib", "(/(?!env$)|$)"), "db/ imports nothing from lib/ but lib/env.");
// The seeds are shared builders of demo data (tests seed their databases with them), not a script to run.
const TO_SCRIPT_NOT_SHARED = restrict(folder("scripts/", "(?!lib/|seed(/|$))"), "Tests share code with scripts only through scripts/lib (and the seeds in scripts/seed).");

const TESTS = ["tests/**", "**/*.test.ts", "**/*.test.tsx"];
const boundary = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

const boundaries = [
  boundary(["app/**"], [TO_DB_FROM_UI, TO_SCRIPTS, TO_TESTS]),
  boundary(["components/**"], [TO_APP, TO_DB_FROM_UI, TO_SCRIPTS, TO_TESTS]),
  boundary(["lib/dal/**"], [TO_APP, TO_COMPONENTS, TO_SCRIPTS, TO_TESTS], TESTS),
  boundary(["lib/actions/**"], [TO_APP, TO_COMPONENTS, TO_DB_FROM_ACTIONS, TO_SCRIPTS, TO_TESTS], TESTS),
  boundary(["lib/**"], [TO_APP, TO_COMPONENTS, TO_SCRIPTS, TO_TESTS, TO_DAL_OR_ACTIONS, TO_NEXT], ["lib/dal/**", "lib/actions/**", ...TESTS]),
  // The last rule for a file wins: lib/payments keeps the lib/ rules and adds one.
  boundary(["lib/payments/**"], [TO_APP, TO_COMPONENTS, TO_SCRIPTS, TO_TESTS, TO_DAL_OR_ACTIONS, TO_NEXT, TO_BILLING], TESTS),
  boundary(["db/**"], [TO_LIB_BUT_ENV, TO_APP, TO_COMPONENTS, TO_SCRIPTS, TO_TESTS], TESTS),
  boundary(["scripts/**"], [TO_TESTS]),
  boundary(TESTS, [TO_SCRIPT_NOT_SHARED]),
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", ".data-*/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "db/migrations/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...boundaries,
];
export default config;
