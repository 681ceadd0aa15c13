import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/dates";
import { balanceAt, buildStatement, positionAt, type AccountHistory } from "./statement";

const START = "2026-01-01";
const day = (n: number) => addDays(START, n);

type Op = { day: number; kind: "invoice" | "credit" | "pay" | "spend"; amount: number; pick: number; share: number };

const opArb: fc.Arbitrary<Op> = fc.record({
  day: fc.integer({ min: 0, max: 90 }),
  kind: fc.constantFrom("invoice", "credit", "pay", "spend"),
  amount: fc.integer({ min: 1, max: 500_000 }),
  pick: fc.nat(),
  share: fc.integer({ min: 0, max: 150 }),
});

/**
 * A history the application could hold: a credit note never credits more than its invoice has
 * left to credit, a payment pays only invoices that exist by then, and a payment from account
 * credit spends no more than the credit and the invoice's outstanding amount at that time.
 */
function historyOf(ops: Op[]): AccountHistory {
  const history: AccountHistory = { invoices: [], payments: [] };
  const creditedOf = new Map<string, bigint>();
  let n = 0;
  for (const op of [...ops].sort((a, b) => a.day - b.day)) {
    const date = day(op.day);
    const amount = BigInt(op.amount);
    const open = history.invoices.filter((i) => i.type === "invoice");
    const target = open.length > 0 ? open[op.pick % open.length]! : null;
    const id = `x${++n}`;
    if (op.kind === "invoice") {
      history.invoices.push({ id, number: 1000 + n, type: "invoice", date, totalMinor: amount, creditsInvoiceId: null });
    } else if (op.kind === "credit" && target) {
      const left = target.totalMinor - (creditedOf.get(target.id) ?? 0n);
      const credit = amount < left ? amount : left;
      if (credit <= 0n) continue;
      creditedOf.set(target.id, (creditedOf.get(target.id) ?? 0n) + credit);
      history.invoices.push({ id, number: 1000 + n, type: "credit_note", date, totalMinor: credit, creditsInvoiceId: target.id });
    } else if (op.kind === "pay") {
      // Part, all, or more than the payment goes to one invoice; the rest is account credit.
      const allocated = target ? (amount * BigInt(Math.min(op.share, 100))) / 100n : 0n;
      const allocations = target && allocated > 0n ? [{ invoiceId: target.id, amountMinor: allocated }] : [];
      history.payments.push({ id, date, method: op.pick % 2 === 0 ? "card" : "bank_transfer", amountMinor: amount, allocations });
    } else if (op.kind === "spend" && target) {
      const credit = positionAt(history, date).creditMinor;
      const owed = positionAt({ ...history, invoices: history.invoices.filter((i) => i.id === target.id || i.creditsInvoiceId === target.id) }, date).outstandingMinor;
      const spend = [amount, credit, owed].reduce((a, b) => (a < b ? a : b));
      if (spend <= 0n) continue;
      history.payments.push({ id, date, method: "account_credit", amountMinor: spend, allocations: [{ invoiceId: target.id, amountMinor: spend }] });
    }
  }
  return history;
}

const periodArb = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe("buildStatement", () => {
  it("runs the balance from the opening to the closing balance, in date order within the period", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), periodArb, (ops, [a, b]) => {
        const history = historyOf(ops);
        const s = buildStatement(history, day(a), day(b));
        let running = s.openingMinor;
        for (const row of s.rows) {
          running += row.amountMinor;
          expect(row.balanceMinor).toBe(running);
          expect(row.date >= s.from && row.date <= s.to).toBe(true);
        }
        expect(s.closingMinor).toBe(running);
        expect(s.rows.map((r) => r.date)).toEqual(s.rows.map((r) => r.date).sort());
      }),
    );
  });

  it("closes at the balance of the period's last day: outstanding less account credit", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), periodArb, (ops, [a, b]) => {
        const history = historyOf(ops);
        const s = buildStatement(history, day(a), day(b));
        expect(s.closingMinor).toBe(balanceAt(history, day(b)));
        expect(s.closingMinor).toBe(s.outstandingMinor - s.accountCreditMinor);
        const position = positionAt(history, day(b));
        expect([s.outstandingMinor, s.accountCreditMinor]).toEqual([position.outstandingMinor, position.creditMinor]);
      }),
    );
  });

  it("carries the closing balance of one period into the next", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 1, max: 30 }), (ops, a, length) => {
        const history = historyOf(ops);
        const first = buildStatement(history, day(a), day(a + length - 1));
        const second = buildStatement(history, day(a + length), day(a + 2 * length));
        expect(second.openingMinor).toBe(first.closingMinor);
      }),
    );
  });

  it("shows a payment from account credit nowhere and an overpayment as credit", () => {
    const history: AccountHistory = {
      invoices: [
        { id: "a", number: 1, type: "invoice", date: day(0), totalMinor: 10_000n, creditsInvoiceId: null },
        { id: "b", number: 2, type: "invoice", date: day(31), totalMinor: 4_000n, creditsInvoiceId: null },
        { id: "c", number: 3, type: "credit_note", date: day(40), totalMinor: 1_000n, creditsInvoiceId: "b" },
      ],
      payments: [
        { id: "p", date: day(10), method: "bank_transfer", amountMinor: 12_000n, allocations: [{ invoiceId: "a", amountMinor: 12_000n }] },
        { id: "q", date: day(35), method: "account_credit", amountMinor: 2_000n, allocations: [{ invoiceId: "b", amountMinor: 2_000n }] },
      ],
    };
    const s = buildStatement(history, day(20), day(60));
    expect(s.openingMinor).toBe(-2_000n);
    expect(s.rows.map((r) => [r.kind, r.number, r.invoiceNumbers, r.amountMinor, r.balanceMinor])).toEqual([
      ["invoice", 2, [], 4_000n, 2_000n],
      ["credit_note", 3, [2], -1_000n, 1_000n],
    ]);
    expect([s.outstandingMinor, s.accountCreditMinor, s.closingMinor]).toEqual([1_000n, 0n, 1_000n]);
  });
});
