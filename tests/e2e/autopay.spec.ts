/**
 * Automatic payment, as a person turns it on and as the daily run charges: with a saved sandbox
 * card, the switch's confirm step lists the invoice it will charge and when; the run
 * (`npm run payments:autopay -- --today <due date>`, spawned with the server's environment) pays
 * it, and the receipt reaches the Billing contact; a card that declines when charged makes the
 * run email the Billing contact a link that opens the invoice's Pay dialog. On an account of the
 * spec's own (tests/e2e/security-support.ts), so the demo accounts stay as seeded.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import { fillCard, openSettings, signedIn } from "./card-steps";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";
import { closeDatabase, createIsolatedTarget, database, type Target } from "./security-support";
import { paymentReferenceFor } from "../../lib/reference";

// Each test spawns the daily run (tsx starting takes seconds on a busy machine) and waits for the mail.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.skip(!process.env.DATABASE_URL, "needs an account of the spec's own to charge, and the run's process on the same database (PostgreSQL)");

let target: Target;

/** The account's Billing contact, who the run's emails go to. */
async function billing(): Promise<string> {
  const [row] = await database()!<{ email: string }[]>`select email from contact_emails where account_id = ${target.accountId!} and is_billing`;
  return row!.email;
}

test.beforeAll(async () => {
  target = await createIsolatedTarget(database()!, "autopay");
});

test.afterAll(async () => {
  await closeDatabase();
});

/** The daily run, as cron starts it, on the spec's database and with the server's environment. */
function runAutopay(today: string): string {
  const run = spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/payments-autopay.ts", "--today", today], { env: process.env, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

/** The text of the newest captured mail to `address` whose subject matches (parsed: headers decoded, quoted-printable undone). */
async function mailTo(address: string, subject: RegExp): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR!, "mail");
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().reverse() : [];
    for (const f of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(dir, f)));
      if (mail.to && JSON.stringify(mail.to).includes(address) && subject.test(mail.subject ?? "")) return mail.text ?? "";
    }
    if (Date.now() > deadline) throw new Error(`No mail to ${address} matching ${subject} in ${dir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function dueDateOf(number: number): Promise<string> {
  const [row] = await database()!<{ due: string }[]>`select due_date::text as due from invoices where number = ${number}`;
  return row!.due;
}

/** Another outstanding invoice of the spec's account, a copy of its first one (lines too: its PDF goes with the failure email) under the next number. */
async function anotherInvoice(): Promise<number> {
  const sql = database()!;
  return sql.begin(async (tx) => {
    const [seq] = await tx<{ n: string }[]>`update number_sequences set next_value = next_value + 1 where name = 'invoice' returning (next_value - 1)::text as n`;
    const number = Number(seq!.n);
    await tx`
      insert into invoices (account_id, number, type, period_start, period_end, invoice_date, due_date, currency, language,
        vat_category, net_minor, vat_minor, total_minor, customer, payment_reference, issued_at)
      select account_id, ${number}, type, period_start, period_end, invoice_date, due_date, currency, language,
        vat_category, net_minor, vat_minor, total_minor, customer, ${paymentReferenceFor(number)}, issued_at
      from invoices where number = ${target.invoice.number}`;
    await tx`
      insert into invoice_lines (invoice_id, position, service, product_code, label, region, quantity, unit, unit_price_minor, amount_minor, vat_rate_bp)
      select (select id from invoices where number = ${number}), l.position, l.service, l.product_code, l.label, l.region, l.quantity, l.unit,
        l.unit_price_minor, l.amount_minor, l.vat_rate_bp
      from invoice_lines l join invoices i on i.id = l.invoice_id where i.number = ${target.invoice.number}`;
    return number;
  });
}

async function saveCard(page: Page, card: string, result: "added" | "replaced") {
  const dialog = await openSettings(page);
  await dialog.getByRole("button", { name: result === "added" ? "Add card" : "Replace card" }).click();
  await fillCard(page, card);
  await expect(page).toHaveURL(new RegExp(`card=${result}$`));
}

test("turn automatic payment on, see what it will charge, and the run pays the invoice on its due date", async ({ browser }) => {
  const page = await signedIn(browser, target.members.admin!.email);
  await saveCard(page, "4242 4242 4242 4242", "added");
  const number = target.invoice.number;
  const dueDate = await dueDateOf(number);

  const dialog = await openSettings(page);
  const toggle = dialog.getByRole("switch", { name: /Pay invoices automatically/ });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  const confirm = dialog.getByRole("region", { name: "Automatic payment will charge these invoices" });
  const row = confirm.getByRole("row").filter({ hasText: String(number) });
  await expect(row).toContainText(dueDate);
  await expect(row).toContainText("EUR");
  await expectNoSeriousA11yViolations(page);
  // On a phone the confirm step fits the width there is, its button within reach.
  await page.setViewportSize({ width: 390, height: 844 });
  await confirm.getByRole("button", { name: "Turn on and save" }).scrollIntoViewIfNeeded();
  await expect(confirm.getByRole("button", { name: "Turn on and save" })).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectNoSeriousA11yViolations(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await confirm.getByRole("button", { name: "Turn on and save" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  const again = await openSettings(page);
  await expect(again.getByRole("switch", { name: /Pay invoices automatically/ })).toBeChecked();

  expect(runAutopay(dueDate)).toMatch(/1 charged/);
  await page.goto("/invoices");
  const listed = page.getByRole("row").filter({ has: page.getByRole("link", { name: String(number), exact: true }) });
  await expect(listed.getByRole("img", { name: "Paid" })).toBeVisible();
  expect(await mailTo(await billing(), new RegExp(`Receipt: invoice ${number} from Cumulus was paid by automatic payment`))).toContain("/receipt");
});

test("a declined automatic charge emails the Billing contact a link to pay", async ({ browser }) => {
  const page = await signedIn(browser, target.members.admin!.email);
  await saveCard(page, "4000 0000 0000 0341", "replaced");
  const number = await anotherInvoice();
  expect(runAutopay(await dueDateOf(number))).toMatch(/1 declined/);

  const mail = await mailTo(await billing(), new RegExp(`automatic payment of invoice ${number} from Cumulus failed`));
  expect(mail).toContain("Your card was declined.");
  const link = new RegExp(`https?://\\S+/invoices/${number}\\?pay=${number}`).exec(mail)?.[0];
  expect(link).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByRole("dialog", { name: `Invoice no: ${number}` })).toBeVisible();
});
