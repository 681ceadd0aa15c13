/**
 * Paying, as a person does it: the Pay dialog, the sandbox provider's hosted page with its test
 * cards, and the return to the panel. Payments are made on Other Tenant Oy's account (3 unpaid
 * invoices) so that the demo account's data, which other specs read, stays as seeded.
 */
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, liveOptionsButton, test } from "./fixtures";

test.describe.configure({ mode: "serial" });

const dataRows = (page: Page) => page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select invoice/ }) });

async function unpaidNumbers(page: Page): Promise<string[]> {
  await page.goto("/invoices?status=outstanding");
  const labels = await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")!));
  return labels.map((l) => l.replace("Select invoice ", ""));
}

async function payOnHostedPage(page: Page, card: string) {
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill("12/30");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay / }).click();
}

test("pay an outstanding invoice by card: the row turns Paid with 0.00", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto("/invoices");
  await page.getByRole("button", { name: `Options for invoice ${number}` }).click();
  await page.getByRole("menuitem", { name: "Pay this invoice" }).click();

  const dialog = page.getByRole("dialog", { name: `Invoice no: ${number}` });
  await expect(dialog).toBeVisible();
  for (const text of ["Specification", "Sum", "VAT", "Total Sum", "Outstanding Amount", "Choose payment method"]) {
    await expect(dialog.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(dialog.getByRole("radio", { name: "Card payment" })).toBeChecked();
  await expect(dialog.getByRole("radio", { name: "Bank transfer" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await dialog.getByRole("button", { name: /^Pay .+ EUR$/ }).click();
  // The dialog opens the provider's hosted page with a full navigation: check that page once it is there.
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await payOnHostedPage(page, "4242 4242 4242 4242");

  await expect(page).toHaveURL(new RegExp(`/invoices/${number}\\?payment=`));
  await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
  await page.goto("/invoices");
  const row = dataRows(page).filter({ has: page.getByRole("link", { name: number, exact: true }) });
  await expect(row.getByRole("img", { name: "Paid" })).toBeVisible();
  // 0.00, or 0,00 while another spec has this account in Swedish for a moment (invoice-list-weight, account-settings).
  await expect(row.getByRole("cell", { name: /^0[.,]00$/ })).toBeVisible();

  // The settled payment has a receipt on the invoice's page; a PDF that names the invoice.
  await page.goto(`/invoices/${number}`);
  const receipt = page.getByRole("link", { name: /^Receipt \(PDF\) for the payment of .+ EUR on .+, opens in a new tab$/ });
  await expect(receipt).toHaveCount(1);
  const href = await receipt.getAttribute("href");
  expect(href).toMatch(/^\/payments\/[0-9a-f-]{36}\/receipt$/);
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(pdf.headers()["cache-control"]).toContain("no-store");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  const download = await page.request.get(`${href}?download=1`);
  expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="Cumulus-receipt-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf"$/);
  // Another account's user gets the 404 of an unknown payment.
  const demo = await asRole("demo");
  expect((await demo.request.get(href!)).status()).toBe(404);
  expect((await demo.request.get("/payments/00000000-0000-0000-0000-000000000000/receipt")).status()).toBe(404);
  expect((await demo.request.get("/payments/not-a-uuid/receipt")).status()).toBe(404);
});

test("a declined card leaves the invoice outstanding, with a message and a way to try again", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}`);
  await page.getByRole("button", { name: "Pay this invoice" }).click();
  await page.getByRole("dialog", { name: `Invoice no: ${number}` }).getByRole("button", { name: /^Pay / }).click();
  await payOnHostedPage(page, "4000 0000 0000 0002");
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toContainText("declined");
  await expect(alert).toContainText("Nothing was charged");
  await expect(alert.getByRole("link", { name: "Try again" })).toBeVisible();
  expect(await unpaidNumbers(page)).toContain(number);
});

test("an answer that charged nothing makes the next Pay a new attempt, with a new key", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}`);
  await page.getByRole("button", { name: "Pay this invoice" }).click();
  const dialog = page.getByRole("dialog", { name: `Invoice no: ${number}` });
  const key = dialog.locator('input[name="idempotencyKey"]');
  const firstKey = await key.inputValue();
  // The outstanding amount changed since the dialog was opened: refused, nothing charged.
  await dialog.locator('input[name="amount"]').evaluate((input: HTMLInputElement) => (input.value = "1"));
  await dialog.getByRole("button", { name: /^Pay / }).click();
  await expect(dialog.getByRole("alert")).toContainText("The outstanding amount has changed");
  await expect(key).not.toHaveValue(firstKey);
  await expect(key).toHaveValue(/^[0-9a-f-]{36}$/);
});

test("a card with insufficient funds says so", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}?pay=${number}`);
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await payOnHostedPage(page, "4000000000009995");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("insufficient funds");
});

test("bad card input gets a message next to the field on the hosted page", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}?pay=${number}`);
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("Card number").fill("4242 4242 4242 4241");
  await page.getByLabel("Expiry").fill("13/20");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByText("This card number is not valid.")).toBeVisible();
  await expect(page.getByText("Enter the expiry as MM/YY.")).toBeVisible();
  await expect(page.getByText("Enter the 3 or 4 digits on the back of the card.")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("cancelled");
});

test("a declined card says so once, in a person's words", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}?pay=${number}`);
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await payOnHostedPage(page, "4000 0000 0000 0002");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    `Your card was declined. Nothing was charged, and invoice ${number} is still outstanding. Try again`,
  );
});

test("closing the Pay dialog returns focus to the control that opened it, and keeps the selection", async ({ asRole }) => {
  // Four dialogs opened and closed, on two pages, with axe once: more than one page's worth of time.
  test.slow();
  const page = await asRole("demo");
  await page.goto("/invoices");
  // The row menu's button, by keyboard.
  const options = await liveOptionsButton(page.getByRole("button", { name: /^Options for invoice \d+$/ }).first());
  const number = (await options.getAttribute("aria-label"))!.replace("Options for invoice ", "");
  await options.focus();
  await page.keyboard.press("Enter");
  // View PDF, Download PDF, Pay this invoice.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Pay this invoice" })).toHaveAttribute("data-focus", "");
  await page.keyboard.press("Enter");
  const single = page.getByRole("dialog", { name: `Invoice no: ${number}` });
  await expect(single).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(single).toBeHidden();
  await expect(page).not.toHaveURL(/pay=/);
  await expect(options).toBeFocused();

  // Pay all outstanding, closed with Close.
  const payAll = page.getByRole("button", { name: "Pay all outstanding" });
  await payAll.click();
  const all = page.getByRole("dialog", { name: "Pay 3 invoices" });
  await expect(all).toBeVisible();
  await all.getByRole("button", { name: "Close" }).click();
  await expect(all).toBeHidden();
  // Closing navigates back to the list without ?pay; a click before that lands is overtaken by it.
  await expect(page).not.toHaveURL(/pay=/);
  await expect(payAll).toBeFocused();

  // Pay selected: the selection is still there afterwards.
  const boxes = page.getByRole("checkbox", { name: /^Select invoice \d+$/ });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const paySelected = page.getByRole("button", { name: "Pay selected (2)" });
  await paySelected.click();
  const two = page.getByRole("dialog", { name: "Pay 2 invoices" });
  await expect(two).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(two).toBeHidden();
  await expect(boxes.nth(0)).toBeChecked();
  await expect(boxes.nth(1)).toBeChecked();
  await expect(paySelected).toBeFocused();

  // The invoice's own page.
  await page.goto(`/invoices/${number}`);
  const payThis = page.getByRole("button", { name: "Pay this invoice" });
  await payThis.click();
  await expect(single).toBeVisible();
  await single.getByRole("button", { name: "Close" }).click();
  await expect(single).toBeHidden();
  await expect(payThis).toBeFocused();
});

test("back from the provider without paying, focus is on the control that opened the dialog", async ({ asRole }) => {
  const page = await asRole("other");
  const numbers = await unpaidNumbers(page);
  await page.goto(`/invoices/${numbers[0]}`);
  await page.getByRole("button", { name: "Pay this invoice" }).click();
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("cancelled");
  await expect(page.getByRole("button", { name: "Pay this invoice" })).toBeFocused();

  // Several selected on the list: back on the list, they are selected again, and focus is on Pay selected.
  await page.goto("/invoices");
  for (const n of numbers) await page.getByRole("checkbox", { name: `Select invoice ${n}` }).check();
  await page.getByRole("button", { name: `Pay selected (${numbers.length})` }).click();
  await page.getByRole("dialog", { name: `Pay ${numbers.length} invoices` }).getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  // (The list also has its overdue alert.)
  await expect(page.getByRole("main").getByRole("alert").filter({ hasText: "cancelled" })).toContainText(`the ${numbers.length} invoices are still outstanding`);
  for (const n of numbers) await expect(page.getByRole("checkbox", { name: `Select invoice ${n}` })).toBeChecked();
  await expect(page.getByRole("button", { name: `Pay selected (${numbers.length})` })).toBeFocused();
});

test("a card payment under way shows Payment processing in the list, the menu, the page and the CSV", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto("/invoices");
  await page.getByRole("button", { name: `Options for invoice ${number}` }).click();
  await page.getByRole("menuitem", { name: "Pay this invoice" }).click();
  await page.getByRole("dialog", { name: `Invoice no: ${number}` }).getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByRole("heading", { name: "Pay Cumulus" })).toBeVisible();
  const hostedPage = page.url();
  // Back to the panel without paying or cancelling: the checkout is still open.
  await page.goBack();
  await expect(page).toHaveURL(/\/invoices$/);
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const row = dataRows(page).filter({ has: page.getByRole("link", { name: number, exact: true }) });
  await expect(row.getByRole("img", { name: "Payment processing" })).toBeVisible();
  await expect(row.getByText("Payment processing")).toBeVisible();
  await row.getByRole("button", { name: `Options for invoice ${number}` }).click();
  const items = page.getByRole("menu").getByRole("menuitem");
  await expect(items).toHaveText(["View PDF", "Download PDF", "Payment processing", "Copy invoice number", "Download e-invoice (XML)"]);
  await expect(page.getByRole("menuitem", { name: "Payment processing" })).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("Escape");
  await expectNoSeriousA11yViolations(page);

  // Still outstanding: the Outstanding filter lists it, and the CSV says `processing`.
  expect(await unpaidNumbers(page)).toContain(number);
  const csv = await (await page.request.get("/invoices/export.csv?status=outstanding")).text();
  expect(csv.split("\r\n").find((l) => l.startsWith(`${number},`))).toMatch(/,processing$/);

  await page.goto(`/invoices/${number}`);
  await expect(page.getByRole("main").getByText("Payment processing", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Pay this invoice" })).toHaveCount(0);

  // Given up on the provider's page: it can be paid again.
  await page.goto(hostedPage);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("cancelled");
  await expect(page.getByRole("button", { name: "Pay this invoice" })).toBeVisible();
});

test("a payment waiting for 3-D Secure shows as processing, and the page updates itself when the answer arrives", async ({ asRole }) => {
  const page = await asRole("other");
  const [number] = await unpaidNumbers(page);
  await page.goto(`/invoices/${number}?pay=${number}`);
  await page.getByRole("dialog").getByRole("button", { name: /^Pay / }).click();
  await payOnHostedPage(page, "4000 0000 0000 3220");
  await expect(page.getByRole("heading", { name: "3-D Secure confirmation" })).toBeVisible();
  const challenge = page.url();
  // Back to the panel before confirming: the payment is still open.
  await page.getByRole("link", { name: "Return to Cumulus" }).click();
  await expect(page).toHaveURL(new RegExp(`/invoices/${number}\\?payment=`));
  await expect(page.getByRole("status").filter({ hasText: "is being processed" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The bank's answer arrives while the page stays open (the confirmation fails, in another tab):
  // the page shows it without being reloaded.
  const bank = await page.context().newPage();
  await bank.goto(challenge);
  await bank.getByRole("button", { name: "Fail authentication" }).click();
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toContainText("authentication failed", { timeout: 15_000 });
  await expect(alert).toContainText("Nothing was charged");
  expect(await unpaidNumbers(page)).toContain(number);
});

test("pay two selected invoices with 3-D Secure: both turn Paid", async ({ asRole }) => {
  const page = await asRole("other");
  const numbers = await unpaidNumbers(page);
  expect(numbers).toHaveLength(2);
  for (const n of numbers) await page.getByRole("checkbox", { name: `Select invoice ${n}` }).check();
  await page.getByRole("button", { name: "Pay selected (2)" }).click();
  const dialog = page.getByRole("dialog", { name: "Pay 2 invoices" });
  await expect(dialog).toBeVisible();
  for (const n of numbers) await expect(dialog.getByText(`Invoice ${n}`)).toBeVisible();
  await dialog.getByRole("button", { name: /^Pay / }).click();
  await payOnHostedPage(page, "4000 0000 0000 3220");
  await expect(page.getByRole("heading", { name: "3-D Secure confirmation" })).toBeVisible();
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Payment received" })).toBeVisible();
  expect(await unpaidNumbers(page)).toEqual([]);
  await page.goto("/invoices");
  for (const n of numbers) {
    await expect(dataRows(page).filter({ has: page.getByRole("link", { name: n, exact: true }) }).getByRole("img", { name: "Paid" })).toBeVisible();
  }
});

test("bank transfer shows the bank account, the exact amount and the reference", async ({ asRole }) => {
  const page = await asRole("demo");
  await page.goto("/invoices");
  await page.getByRole("main").getByRole("alert").getByRole("button", { name: "Pay all outstanding" }).click();
  const dialog = page.getByRole("dialog", { name: "Pay 3 invoices" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("radio", { name: "Bank transfer" }).click();
  await expect(dialog.getByText("IBAN")).toBeVisible();
  await expect(dialog.getByText(/^Transfer exactly [\d,.]+ EUR to:$/)).toBeVisible();
  await expect(dialog.getByText("Payment reference to quote")).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Pay / })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(/pay=/);
});

test("invoice access Read sees the rundown without a Pay button", async ({ asRole }) => {
  const page = await asRole("reader");
  await page.goto("/invoices?pay=outstanding");
  const dialog = page.getByRole("dialog", { name: "Pay 3 invoices" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("Outstanding Amount")).toBeVisible();
  await expect(dialog.getByRole("button", { name: /^Pay / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Pay selected/ })).toHaveCount(0);

  // A forged submission of the dialog's form (it has no Pay button for Read) is refused with 403.
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/invoices")),
    dialog.locator("form").evaluate((form: HTMLFormElement) => form.requestSubmit()),
  ]);
  expect(response.status()).toBe(403);
  await page.goto("/invoices?status=outstanding");
  await expect(page.getByRole("checkbox", { name: /^Select invoice/ })).toHaveCount(3);
});
