import { afterEach, describe, expect, it, vi } from "vitest";
import { BankDetailsError } from "@/lib/bank-details";
import {
  EPC_LIMITS,
  epcPayload,
  paymentQrFor,
  PaymentQrError,
  swedishInvoicePayload,
  type PaymentQrInvoice,
  type PaymentQrPayee,
} from "./payment-qr";

const payee: PaymentQrPayee = {
  name: "Cumulus Cloud AB",
  iban: "SE45 5000 0000 0583 9825 7466",
  bic: "ESSESESS",
  bankgiro: "5050-1055",
  organisationNumber: "559000-0001",
};

const invoice: PaymentQrInvoice = {
  type: "invoice",
  currency: "EUR",
  outstandingMinor: 123_456n,
  paymentReference: "100420",
  invoiceDate: "2026-11-01",
  dueDate: "2026-12-01",
};

describe("EPC069-12 SEPA credit transfer payload", () => {
  it("carries every field on its own line, in order, with no line break after the last", () => {
    const payload = epcPayload(payee, 123_456n, "100420")!;
    expect(payload.split("\n")).toEqual([
      "BCD",
      "002",
      "1",
      "SCT",
      "ESSESESS",
      "Cumulus Cloud AB",
      "SE4550000000058398257466",
      "EUR1234.56",
      "",
      "",
      "100420",
    ]);
    expect(payload.endsWith("\n")).toBe(false);
  });

  it("writes the amount with a point and two decimals, from 0.01 to 999999999.99", () => {
    const amountLine = (minor: bigint) => epcPayload(payee, minor, "1")?.split("\n")[7];
    expect(amountLine(1n)).toBe("EUR0.01");
    expect(amountLine(100n)).toBe("EUR1.00");
    expect(amountLine(123_450n)).toBe("EUR1234.50");
    expect(amountLine(99_999_999_999n)).toBe("EUR999999999.99");
    expect(amountLine(0n)).toBeUndefined();
    expect(amountLine(100_000_000_000n)).toBeUndefined();
  });

  it("keeps UTF-8 names and cuts them at 70 characters, never inside a character", () => {
    const name = "Åsa Öberg Łódź Żółć AB ".repeat(4);
    const line = epcPayload({ ...payee, name }, 100n, "1")!.split("\n")[5]!;
    expect(Array.from(line)).toHaveLength(EPC_LIMITS.name);
    expect(name.startsWith(line)).toBe(true);
    expect(line).toContain("Åsa Öberg Łódź Żółć");
  });

  it("never lets a line break in a name or reference shift the fields", () => {
    const lines = epcPayload({ ...payee, name: "Cumulus\nCloud\r\nAB" }, 100n, "10\n0420")!.split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[5]).toBe("Cumulus Cloud AB");
    expect(lines[10]).toBe("10 0420");
  });

  it("cuts the remittance text at 140 characters and stays within 331 bytes", () => {
    const payload = epcPayload(payee, 100n, "9".repeat(200))!;
    expect(payload.split("\n")[10]).toHaveLength(EPC_LIMITS.remittance);
    expect(Buffer.byteLength(payload, "utf8")).toBeLessThanOrEqual(EPC_LIMITS.payloadBytes);
    // 70 two-byte letters and 140 characters of text do not fit: refused, not a code banks reject.
    expect(() => epcPayload({ ...payee, name: "Ö".repeat(70) }, 100n, "9".repeat(140))).toThrow(PaymentQrError);
  });

  it("refuses an IBAN or BIC that is not one: a configuration error, not a code to pay wrongly", () => {
    expect(() => epcPayload({ ...payee, iban: "SE45 5000 0000 0583 9825 7467" }, 100n, "1")).toThrow(BankDetailsError);
    expect(() => epcPayload({ ...payee, iban: "not an iban" }, 100n, "1")).toThrow(BankDetailsError);
    expect(() => epcPayload({ ...payee, bic: "ESSE" }, 100n, "1")).toThrow(BankDetailsError);
    expect(epcPayload({ ...payee, bic: "esse se ssXXX" }, 100n, "1")!.split("\n")[4]).toBe("ESSESESSXXX");
  });

  it("leaves the BIC line empty when the provider gives none (optional in version 002)", () => {
    const lines = epcPayload({ ...payee, bic: "" }, 100n, "1")!.split("\n");
    expect(lines[4]).toBe("");
    expect(lines).toHaveLength(11);
  });
});

describe("Swedish banks' invoice QR payload", () => {
  const sek = { ...invoice, currency: "SEK", outstandingMinor: 1_234_550n };

  it("is JSON with every field: version, type, payee, reference, dates, amount, bankgiro", () => {
    expect(JSON.parse(swedishInvoicePayload(payee, sek))).toEqual({
      uqr: 1,
      tp: 1,
      nme: "Cumulus Cloud AB",
      cc: "SE",
      cid: "559000-0001",
      iref: "100420",
      idt: "20261101",
      ddt: "20261201",
      due: 12345.5,
      cur: "SEK",
      pt: "BG",
      acc: "5050-1055",
    });
  });

  it("keeps UTF-8 names as they are and the amount exact to the öre", () => {
    const parsed = JSON.parse(swedishInvoicePayload({ ...payee, name: "Molnbolaget Åsa & Öberg AB" }, { ...sek, outstandingMinor: 99_999_999_999_99n }));
    expect(parsed.nme).toBe("Molnbolaget Åsa & Öberg AB");
    expect(parsed.due).toBe(99_999_999_999.99);
    expect(JSON.parse(swedishInvoicePayload(payee, { ...sek, outstandingMinor: 1n })).due).toBe(0.01);
  });
});

describe("which invoices get a code", () => {
  afterEach(() => vi.restoreAllMocks());

  it("EUR gets the EPC code, SEK the Swedish one, other currencies none", () => {
    expect(paymentQrFor(payee, invoice)?.format).toBe("epc");
    expect(paymentQrFor(payee, { ...invoice, currency: "SEK" })?.format).toBe("se-bankgiro");
    expect(paymentQrFor(payee, { ...invoice, currency: "NOK" })).toBeNull();
    expect(paymentQrFor(payee, { ...invoice, currency: "USD" })).toBeNull();
  });

  it("only while something is outstanding, and never on a credit note", () => {
    expect(paymentQrFor(payee, { ...invoice, outstandingMinor: 0n })).toBeNull();
    expect(paymentQrFor(payee, { ...invoice, outstandingMinor: -500n })).toBeNull();
    expect(paymentQrFor(payee, { ...invoice, type: "credit_note" })).toBeNull();
    expect(paymentQrFor(payee, { ...invoice, currency: "SEK", type: "credit_note" })).toBeNull();
  });

  it("SEK without a bankgiro number gets no code", () => {
    expect(paymentQrFor({ ...payee, bankgiro: null }, { ...invoice, currency: "SEK" })).toBeNull();
  });

  it("bank details the format cannot carry give no code and one log line, never an error", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(paymentQrFor({ ...payee, iban: "SE45 5000 0000 0583 9825 7467" }, invoice)).toBeNull();
    expect(paymentQrFor({ ...payee, bankgiro: "5050-1056" }, { ...invoice, currency: "SEK" })).toBeNull();
    expect(paymentQrFor({ ...payee, name: "Ö".repeat(70) }, { ...invoice, paymentReference: "9".repeat(140) })).toBeNull();
    expect(log).toHaveBeenCalledTimes(3);
    expect(log.mock.calls[0]![0]).toMatch(/no payment QR code.*IBAN/);
  });

  it("carries the exact outstanding amount, not the total", () => {
    expect(paymentQrFor(payee, { ...invoice, outstandingMinor: 7n })!.payload.split("\n")[7]).toBe("EUR0.07");
  });
});
