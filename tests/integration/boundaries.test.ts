/**
 * The import boundaries of CONTRIBUTING.md are enforced by `npm run lint` (eslint.config.mjs):
 * each one-way rule refuses an import that breaks it, and lets through the ones that are allowed.
 */
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports errors for one import in a file at `filePath`. */
async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from "${source}";\nexport const y = x;\n`, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it.each([
    ["components/shell/menu.tsx", "@/app/(panel)/actions", "components/ never imports app/"],
    ["components/shell/menu.tsx", "../../app/login/actions", "components/ never imports app/, by a relative path either"],
    ["lib/dal/example.ts", "@/app/(panel)/layout", "lib/ never imports app/"],
    ["lib/actions/example.ts", "@/components/shell/top-bar", "lib/ never imports components/"],
    ["lib/payments/example.ts", "@/lib/dal/session", "lib/<domain> never imports lib/dal"],
    ["lib/payments/example.ts", "../dal/session", "lib/<domain> never imports lib/dal, by a relative path either"],
    ["lib/example.ts", "./actions/account", "lib/<domain> never imports lib/actions"],
    ["lib/payments/autopay/example.ts", "@/lib/billing/remind", "lib/payments never imports lib/billing (billing uses payments)"],
    ["lib/payments/autopay/example.ts", "../../billing/remind", "lib/payments never imports lib/billing, by a relative path either"],
    ["lib/payments/example.ts", "next/navigation", "lib/<domain> never imports next/*"],
    ["lib/example.ts", "@/scripts/seed", "lib/ never imports scripts/"],
    ["db/example.ts", "@/lib/money", "db/ imports nothing from lib/ but lib/env"],
    ["scripts/example.ts", "@/tests/faults/harness", "scripts/ never imports tests/"],
    ["tests/integration/example.test.ts", "@/scripts/bench/pay", "tests import no script, only scripts/lib"],
    ["lib/money.test.ts", "@/scripts/bench/pay", "unit tests beside the code import no script either"],
    ["app/(panel)/example/page.tsx", "@/db/client", "app/ never imports db/"],
    ["app/api/example/route.ts", "@/db/schema", "app/ never imports the schema"],
    ["lib/actions/example.ts", "@/db/client", "a server action never opens the database"],
    ["lib/actions/example.ts", "../../db/schema", "a server action never imports db/, by a relative path either"],
  ])("%s ↛ %s (%s)", async (file, source) => {
    expect(await boundaryErrors(file, source)).toHaveLength(1);
  });

  it.each([
    ["lib/dal/example.ts", "next/navigation"],
    ["lib/dal/example.ts", "@/db/client"],
    ["lib/actions/example.ts", "@/lib/dal/session"],
    ["lib/payments/example.ts", "@/lib/env"],
    ["lib/billing/example.ts", "@/lib/payments/autopay/due"],
    ["lib/payments/autopay/example.ts", "@/lib/email/reminder-steps"],
    ["db/example.ts", "@/lib/env"],
    ["tests/integration/example.test.ts", "@/scripts/lib/http"],
    ["tests/integration/example.test.ts", "@/scripts/seed"],
    ["components/shell/menu.tsx", "@/lib/actions/session"],
    ["app/(panel)/example/page.tsx", "@/lib/dal/invoices"],
  ])("%s → %s is allowed", async (file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});
