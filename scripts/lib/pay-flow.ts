/**
 * One person paying one invoice by card, as in the browser: the Pay dialog's action (with the
 * dialog's idempotency key), the sandbox's hosted page (card 4242…), then the page the provider
 * sends them back to, which says "Payment received" once the payment is settled. That sentence
 * is the acknowledgement the fault tests hold the server to.
 *
 * A person whose page fails (connection refused while the server restarts, a 503 while the
 * database is away, a 500) does what people do: waits a moment and presses the same button
 * again — the same idempotency key, the same card form — until it works or they give up.
 */
import crypto from "node:crypto";
import { actionId, sleep, type Answer, type Client } from "./http";

export const TEST_CARD = "4242 4242 4242 4242";

export type PayIds = { pay: string; card: string };

export function payIds(ids: Record<string, string>): PayIds {
  return {
    pay: actionId(ids, "lib/actions/payments.ts#payInvoices"),
    card: actionId(ids, "lib/actions/sandbox.ts#payWithCard"),
  };
}

export type FlowOutcome =
  /** The return page said "Payment received". */
  | "acknowledged"
  | "declined"
  /** The action refused (e.g. nothing outstanding any more); `message` says why. */
  | "refused"
  /** The return page still said "being processed" after the polling budget. */
  | "processing"
  /** Too many failed attempts. */
  | "gave_up";

export type FlowResult = {
  invoice: number;
  key: string;
  paymentId: string | null;
  checkoutId: string | null;
  outcome: FlowOutcome;
  message?: string;
  /** Connection failures met (the server was down). */
  interrupted: number;
  /** 503 answers met (the database was down). */
  unavailable: number;
  /** Other 5xx answers met. */
  serverErrors: number;
  /** The step the flow was in when the first interruption hit it. */
  firstInterruptedAt: Step | null;
};

export type Step = "begin" | "card" | "return";

const CHECKOUT = /^\/sandbox\/checkout\/([0-9a-f-]{36})(\?.*)?$/;
const PAYMENT_PARAM = /[?&]payment=([0-9a-f-]{36})/;

export type FlowOptions = {
  key?: string;
  /** Failed attempts before giving up. */
  maxFailures?: number;
  /** Return-page reloads while the payment is processing. */
  processingPolls?: number;
  /** Called after a connection failure, before the next attempt (e.g. wait for the restart). */
  onConnectionLost?: () => Promise<void>;
  /** Told when a request of a step starts and ends (to aim a kill at card payments in flight). */
  onRequest?: (step: Step, phase: "start" | "end") => void;
};

export async function payInvoice(
  client: Client,
  ids: PayIds,
  invoice: { number: number; amountMinor: bigint },
  o: FlowOptions = {},
): Promise<FlowResult> {
  const r: FlowResult = {
    invoice: invoice.number,
    key: o.key ?? crypto.randomUUID(),
    paymentId: null,
    checkoutId: null,
    outcome: "gave_up",
    interrupted: 0,
    unavailable: 0,
    serverErrors: 0,
    firstInterruptedAt: null,
  };
  const maxFailures = o.maxFailures ?? 200;
  let failures = 0;
  let polls = 0;
  let step: Step = "begin";

  /** Handles an answer that is not the step's success; returns false when the flow should stop. */
  const failed = async (a: Answer): Promise<boolean> => {
    failures++;
    if (a.status === 0) {
      r.interrupted++;
      r.firstInterruptedAt ??= step;
      await (o.onConnectionLost?.() ?? sleep(500));
    } else if (a.status === 503) {
      r.unavailable++;
      await sleep(Math.min(5, Number(a.headers?.get("retry-after") ?? 1)) * 200);
    } else {
      if (a.status >= 500) r.serverErrors++;
      await sleep(300);
    }
    return failures < maxFailures;
  };

  const follow = (target: string): boolean => {
    const path = target.startsWith("http") ? new URL(target).pathname + new URL(target).search : target;
    const checkout = CHECKOUT.exec(path);
    if (checkout) {
      r.checkoutId = checkout[1]!;
      step = "card";
      return true;
    }
    const payment = PAYMENT_PARAM.exec(path);
    if (payment) {
      r.paymentId = payment[1]!;
      step = "return";
      return true;
    }
    return false;
  };

  for (;;) {
    if (step === "begin") {
      o.onRequest?.("begin", "start");
      const a = await client.action("pay:begin", `/invoices/${invoice.number}`, ids.pay, [{}], {
        n: String(invoice.number),
        method: "card",
        amount: invoice.amountMinor.toString(),
        idempotencyKey: r.key,
      });
      o.onRequest?.("begin", "end");
      if (a.status === 200 && a.redirect && follow(a.redirect)) continue;
      if (a.status === 200) {
        // The dialog opens the hosted page itself (checkoutUrl), or continues one in progress.
        const next = /"(?:checkoutUrl|inProgressUrl)":"([^"]+)"/.exec(a.text);
        if (next && follow(next[1]!)) continue;
        const message = /"message":"([^"]+)"/.exec(a.text)?.[1];
        r.outcome = "refused";
        r.message = message ?? a.text.slice(0, 200);
        return r;
      }
      if (!(await failed(a))) return r;
    } else if (step === "card") {
      const id = r.checkoutId!;
      o.onRequest?.("card", "start");
      const a = await client.action("pay:card", `/sandbox/checkout/${id}`, ids.card, [id, {}], {
        card: TEST_CARD,
        expiry: "12/39",
        cvc: "123",
      });
      o.onRequest?.("card", "end");
      if (a.status === 200 && a.redirect && follow(a.redirect) && step === "return") continue;
      if (a.status === 200) {
        r.outcome = "refused";
        r.message = /"message":"([^"]+)"/.exec(a.text)?.[1] ?? a.text.slice(0, 200);
        return r;
      }
      if (!(await failed(a))) return r;
    } else {
      o.onRequest?.("return", "start");
      const a = await client.get("pay:return", `/invoices/${invoice.number}?payment=${r.paymentId}`);
      o.onRequest?.("return", "end");
      if (a.status === 200) {
        if (a.text.includes("Payment received")) {
          r.outcome = "acknowledged";
          return r;
        }
        if (/was declined|was cancelled/.test(a.text)) {
          r.outcome = "declined";
          return r;
        }
        if (++polls > (o.processingPolls ?? 20)) {
          r.outcome = "processing";
          return r;
        }
        await sleep(300);
        continue;
      }
      if (!(await failed(a))) return r;
    }
  }
}
