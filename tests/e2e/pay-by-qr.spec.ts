/**
 * Pay by QR: the Pay dialog's Bank transfer panel shows a payment QR code that decodes to the
 * account, amount and reference it shows in text, with Copy buttons that copy them and say so.
 * Reads the demo account only (nothing is paid here).
 */
import type { Locator, Page } from "@playwright/test";
import jsQR from "jsqr";
import { expect, expectNoSeriousA11yViolations, test } from "./fixtures";

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1440, height: 900 },
] as const;

async function invoiceNumbers(page: Page, status: "outstanding" | "paid"): Promise<string[]> {
  await page.goto(`/invoices?status=${status}`);
  const labels = await page.getByRole("checkbox", { name: /^Select invoice \d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")!));
  return labels.map((l) => l.replace("Select invoice ", ""));
}

/** Draws the QR code's SVG on a canvas in the page, as a camera would see it, and decodes it here. */
async function decodeQr(qr: Locator): Promise<string> {
  const side = 400;
  const pixels = await qr.evaluate(async (svg, px) => {
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = px;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0, px, px);
    return Array.from(context.getImageData(0, 0, px, px).data);
  }, side);
  const decoded = jsQR(Uint8ClampedArray.from(pixels), side, side);
  expect(decoded, "the QR code decodes").not.toBeNull();
  return decoded!.data;
}

/** The text of the <dd> beside a <dt> of the panel. */
const valueOf = (panel: Locator, term: string) => panel.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]/span[1]");

async function expectCopies(page: Page, panel: Locator, what: string, expected: string, how: "click" | "keyboard") {
  const button = panel.getByRole("button", { name: `Copy ${what}`, exact: true });
  if (how === "keyboard") {
    await button.focus();
    await page.keyboard.press("Enter");
  } else {
    await button.click();
  }
  // Visible "Copied" beside the button, in a status region that names what was copied.
  const status = button.locator("xpath=following-sibling::*[@role='status']");
  await expect(status).toHaveText(`Copied ${what}`);
  await expect(status).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
}

for (const size of SIZES) {
  test(`bank transfer shows a payment QR code and Copy buttons (${size.name})`, async ({ asRole, baseURL }) => {
    test.slow();
    const page = await asRole("demo");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await page.setViewportSize({ width: size.width, height: size.height });
    const [number] = await invoiceNumbers(page, "outstanding");
    await page.goto(`/invoices/${number}?pay=${number}`);
    const dialog = page.getByRole("dialog", { name: `Invoice no: ${number}` });
    await dialog.getByRole("radio", { name: "Bank transfer" }).click();

    const outstanding = (await dialog.getByText("Outstanding Amount").locator("xpath=following-sibling::dd[1]").innerText()).replace(/ EUR$/, "");
    const iban = await valueOf(dialog, "IBAN").innerText();
    const bic = await dialog.locator("dt", { hasText: /^BIC$/ }).locator("xpath=following-sibling::dd[1]").innerText();
    const recipient = await dialog.locator("dt", { hasText: /^Recipient$/ }).locator("xpath=following-sibling::dd[1]").innerText();
    const reference = await valueOf(dialog, "Reference").innerText();
    await expect(valueOf(dialog, "Amount")).toHaveText(`${outstanding} EUR`);

    const qr = dialog.getByRole("img", { name: `QR code for a SEPA credit transfer of ${outstanding} EUR for invoice ${number}, reference ${reference}` });
    await qr.scrollIntoViewIfNeeded();
    await expect(qr).toBeVisible();
    const plainAmount = outstanding.replaceAll(",", "");
    expect((await decodeQr(qr)).split("\n")).toEqual(["BCD", "002", "1", "SCT", bic, recipient, iban.replaceAll(" ", ""), `EUR${plainAmount}`, "", "", reference]);

    await expectCopies(page, dialog, "IBAN", iban.replaceAll(" ", ""), "keyboard");
    await expectCopies(page, dialog, "amount", plainAmount, "click");
    await expectCopies(page, dialog, "reference", reference, "click");

    // Nothing of the panel lies beyond the viewport's right edge.
    for (const control of [qr, ...(await dialog.getByRole("button", { name: /^Copy / }).all())]) {
      const box = (await control.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    }
    await expectNoSeriousA11yViolations(page);
  });
}

test("several invoices: one QR code and one amount and reference to copy per invoice", async ({ asRole }) => {
  const page = await asRole("demo");
  const numbers = await invoiceNumbers(page, "outstanding");
  await page.goto("/invoices?pay=outstanding");
  const dialog = page.getByRole("dialog", { name: `Pay ${numbers.length} invoices` });
  await dialog.getByRole("radio", { name: "Bank transfer" }).click();
  for (const n of numbers) {
    await expect(dialog.getByRole("img", { name: new RegExp(`^QR code for a SEPA credit transfer of .+ EUR for invoice ${n}, reference \\d+$`) })).toHaveCount(1);
    await expect(dialog.getByRole("button", { name: `Copy amount of invoice ${n}` })).toHaveCount(1);
    await expect(dialog.getByRole("button", { name: `Copy reference of invoice ${n}` })).toHaveCount(1);
  }
  await expectNoSeriousA11yViolations(page);
});

test("invoice access Read: the invoice page's bank-transfer details carry the QR code too", async ({ asRole }) => {
  const page = await asRole("reader");
  const [number] = await invoiceNumbers(page, "outstanding");
  await page.goto(`/invoices/${number}`);
  const transfer = page.getByRole("region", { name: "Pay by bank transfer" });
  const qr = transfer.getByRole("img", { name: new RegExp(`^QR code for a SEPA credit transfer of .+ EUR for invoice ${number},`) });
  await expect(qr).toBeVisible();
  expect((await decodeQr(qr)).split("\n")[10]).toBe(await valueOf(transfer, "Reference").innerText());
});

test("a paid invoice shows no QR code", async ({ asRole }) => {
  const page = await asRole("demo");
  const [paid] = await invoiceNumbers(page, "paid");
  await page.goto(`/invoices/${paid}?pay=${paid}`);
  await expect(page.getByRole("status").filter({ hasText: "Nothing is outstanding on the chosen invoices." })).toBeVisible();
  await expect(page.getByRole("img", { name: /^QR code/ })).toHaveCount(0);
  const reader = await asRole("reader");
  await reader.goto(`/invoices/${paid}`);
  await expect(reader.getByRole("heading", { level: 1, name: `Invoice ${paid}` })).toBeVisible();
  await expect(reader.getByRole("img", { name: /^QR code/ })).toHaveCount(0);
});
