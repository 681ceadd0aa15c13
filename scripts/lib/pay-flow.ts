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
  const flow = new PayFlow(client, ids, invoice, o);
  for (;;) {
    const next = flow.step === "begin" ? await flow.begin() : flow.step === "card" ? await flow.payByCard() : await flow.readReturnPage();
    if (next === "stop") return flow.result;
  }
}

/** One person's way through a payment; each step answers whether the flow goes on. */
class PayFlow {
  readonly result: FlowResult;
  step: Step = "begin";
  private failures = 0;
  private polls = 0;

  constructor(
    private readonly client: Client,
    private readonly ids: PayIds,
    private readonly invoice: { number: number; amountMinor: bigint },
    private readonly o: FlowOptions,
  ) {
    this.result = {
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
  }

  /** The Pay dialog's action: on to the hosted page, or refused. */
  async begin(): Promise<"go on" | "stop"> {
    const { invoice, result: r } = this;
    this.o.onRequest?.("begin", "start");
    const a = await this.client.action("pay:begin", `/invoices/${invoice.number}`, this.ids.pay, [{}], {
      n: String(invoice.number),
      method: "card",
      amount: invoice.amountMinor.toString(),
      idempotencyKey: r.key,
    });
    this.o.onRequest?.("begin", "end");
    if (a.status === 200 && a.redirect && this.follow(a.redirect)) return "go on";
    if (a.status === 200) {
      // The dialog opens the hosted page itself (checkoutUrl), or continues one in progress.
      const next = /"(?:checkoutUrl|inProgressUrl)":"([^"]+)"/.exec(a.text);
      if (next && this.follow(next[1]!)) return "go on";
      return this.refused(a);
    }
    return this.failed(a);
  }

  /** The sandbox's hosted page, paid with the test card: on to the return page, or refused. */
  async payByCard(): Promise<"go on" | "stop"> {
    const id = this.result.checkoutId!;
    this.o.onRequest?.("card", "start");
    const a = await this.client.action("pay:card", `/sandbox/checkout/${id}`, this.ids.card, [id, {}], {
      card: TEST_CARD,
      expiry: "12/39",
      cvc: "123",
    });
    this.o.onRequest?.("card", "end");
    if (a.status === 200 && a.redirect && this.follow(a.redirect) && this.step === "return") return "go on";
    if (a.status === 200) return this.refused(a);
    return this.failed(a);
  }

  /** The invoice page the provider returns to, reloaded while the payment is processing. */
  async readReturnPage(): Promise<"go on" | "stop"> {
    const r = this.result;
    this.o.onRequest?.("return", "start");
    const a = await this.client.get("pay:return", `/invoices/${this.invoice.number}?payment=${r.paymentId}`);
    this.o.onRequest?.("return", "end");
    if (a.status !== 200) return this.failed(a);
    if (a.text.includes("Payment received")) {
      r.outcome = "acknowledged";
      return "stop";
    }
    if (/was declined|was cancelled/.test(a.text)) {
      r.outcome = "declined";
      return "stop";
    }
    if (++this.polls > (this.o.processingPolls ?? 20)) {
      r.outcome = "processing";
      return "stop";
    }
    await sleep(300);
    return "go on";
  }

  private refused(a: Answer): "stop" {
    this.result.outcome = "refused";
    this.result.message = /"message":"([^"]+)"/.exec(a.text)?.[1] ?? a.text.slice(0, 200);
    return "stop";
  }

  /** An answer that is not the step's success: counted, waited on, and tried again up to the limit. */
  private async failed(a: Answer): Promise<"go on" | "stop"> {
    const r = this.result;
    this.failures++;
    if (a.status === 0) {
      r.interrupted++;
      r.firstInterruptedAt ??= this.step;
      await (this.o.onConnectionLost?.() ?? sleep(500));
    } else if (a.status === 503) {
      r.unavailable++;
      await sleep(Math.min(5, Number(a.headers?.get("retry-after") ?? 1)) * 200);
    } else {
      if (a.status >= 500) r.serverErrors++;
      await sleep(300);
    }
    return this.failures < (this.o.maxFailures ?? 200) ? "go on" : "stop";
  }

  /** Where an answer sends the person: the hosted page (step card) or the return page (step return). */
  private follow(target: string): boolean {
    const path = target.startsWith("http") ? new URL(target).pathname + new URL(target).search : target;
    const checkout = CHECKOUT.exec(path);
    if (checkout) {
      this.result.checkoutId = checkout[1]!;
      this.step = "card";
      return true;
    }
    const payment = PAYMENT_PARAM.exec(path);
    if (payment) {
      this.result.paymentId = payment[1]!;
      this.step = "return";
      return true;
    }
    return false;
  }
}
