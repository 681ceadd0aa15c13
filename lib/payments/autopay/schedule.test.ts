import { describe, expect, it } from "vitest";
import { attemptsOver, chargeDueOn, declineOutcome, failureEndsAttempts, MAX_ATTEMPTS, nextCharge, previewChargeDate } from "./schedule";

const DUE = "2026-12-10";

describe("automatic payment schedule", () => {
  it("charges first on the due date, not before", () => {
    expect(nextCharge(DUE, null)).toEqual({ attempt: 1, chargeDate: DUE });
    expect(chargeDueOn(DUE, null, "2026-12-09")).toBeNull();
    expect(chargeDueOn(DUE, null, DUE)).toEqual({ attempt: 1 });
    // Past due when turned on: the next run charges it.
    expect(chargeDueOn(DUE, null, "2026-12-20")).toEqual({ attempt: 1 });
  });

  it("retries a soft decline 1, 3 and 7 days after the first attempt, then stops", () => {
    const first = "2026-12-10";
    const soft = (attempt: number, chargeDate: string) => ({ firstChargeDate: first, last: { attempt, chargeDate, outcome: "soft_decline" as const } });
    expect(nextCharge(DUE, soft(1, first))).toEqual({ attempt: 2, chargeDate: "2026-12-11" });
    expect(nextCharge(DUE, soft(2, "2026-12-11"))).toEqual({ attempt: 3, chargeDate: "2026-12-13" });
    expect(nextCharge(DUE, soft(3, "2026-12-13"))).toEqual({ attempt: 4, chargeDate: "2026-12-17" });
    expect(nextCharge(DUE, soft(4, "2026-12-17"))).toBeNull();
    expect(MAX_ATTEMPTS).toBe(4);
    expect(chargeDueOn(DUE, soft(2, "2026-12-11"), "2026-12-12")).toBeNull();
  });

  it("makes at most one attempt a day when runs were missed", () => {
    const history = { firstChargeDate: "2026-12-10", last: { attempt: 2, chargeDate: "2026-12-15", outcome: "soft_decline" as const } };
    expect(nextCharge(DUE, history)).toEqual({ attempt: 3, chargeDate: "2026-12-16" });
  });

  it("stops at once after a hard decline, an expired card or 3-D Secure, and after success", () => {
    for (const outcome of ["hard_decline", "expired_card", "needs_authentication", "succeeded"] as const) {
      const history = { firstChargeDate: DUE, last: { attempt: 1, chargeDate: DUE, outcome } };
      expect(attemptsOver(history)).toBe(true);
      expect(nextCharge(DUE, history)).toBeNull();
    }
  });

  it("waits while an attempt has no answer yet", () => {
    expect(nextCharge(DUE, { firstChargeDate: DUE, last: { attempt: 1, chargeDate: DUE, outcome: "open" } })).toBeNull();
  });

  it("emails the Billing contacts when the attempts end without a charge", () => {
    expect(failureEndsAttempts(1, "soft_decline")).toBe(false);
    expect(failureEndsAttempts(4, "soft_decline")).toBe(true);
    expect(failureEndsAttempts(1, "hard_decline")).toBe(true);
    expect(failureEndsAttempts(1, "needs_authentication")).toBe(true);
    expect(failureEndsAttempts(1, "succeeded")).toBe(false);
  });

  it("classifies declines, retrying only soft ones", () => {
    expect(declineOutcome("soft")).toBe("soft_decline");
    expect(declineOutcome("expired_card")).toBe("expired_card");
    expect(declineOutcome("hard")).toBe("hard_decline");
    expect(declineOutcome(null)).toBe("hard_decline");
  });

  it("previews an overdue invoice for the next run", () => {
    expect(previewChargeDate("2026-12-01", "2026-12-07")).toBe("2026-12-07");
    expect(previewChargeDate(DUE, "2026-12-07")).toBe(DUE);
  });
});
