import { describe, expect, it } from "vitest";
import { cardNoticeDue, cardNoticeKey } from "./card-notices";

describe("cardNoticeDue", () => {
  const card = { expMonth: 12, expYear: 2026 };
  it("is nothing before the expiry month, 'expiring' during it, 'expired' after it", () => {
    expect(cardNoticeDue(card, "2026-11-30")).toBeNull();
    expect(cardNoticeDue(card, "2026-12-01")).toBe("expiring");
    expect(cardNoticeDue(card, "2026-12-31")).toBe("expiring");
    expect(cardNoticeDue(card, "2027-01-01")).toBe("expired");
    expect(cardNoticeDue(card, "2030-06-15")).toBe("expired");
  });

  it("compares months across years and single-digit months", () => {
    expect(cardNoticeDue({ expMonth: 3, expYear: 2027 }, "2026-12-15")).toBeNull();
    expect(cardNoticeDue({ expMonth: 3, expYear: 2027 }, "2027-03-01")).toBe("expiring");
    expect(cardNoticeDue({ expMonth: 9, expYear: 2026 }, "2026-10-01")).toBe("expired");
  });
});

describe("cardNoticeKey", () => {
  it("names the notice, the account, the card and its expiry: a new card or a new expiry is a new notice", () => {
    const card = { provider: "sandbox" as const, providerReference: "pm_1", brand: "Visa", last4: "4242", expMonth: 1, expYear: 2027 };
    const key = cardNoticeKey("expiring", "acc", card);
    expect(key).toBe("card-expiring:acc:sandbox:pm_1:2027-01");
    expect(cardNoticeKey("expired", "acc", card)).not.toBe(key);
    expect(cardNoticeKey("expiring", "acc", { ...card, providerReference: "pm_2" })).not.toBe(key);
    expect(cardNoticeKey("expiring", "acc", { ...card, expYear: 2028 })).not.toBe(key);
  });
});
