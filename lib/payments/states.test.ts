import { describe, expect, it } from "vitest";
import { paymentChannelLabel } from "./states";

describe("paymentChannelLabel", () => {
  it("names how a card attempt was made, and the other methods by name", () => {
    expect(paymentChannelLabel({ method: "card", channel: "hosted", byPerson: true })).toBe("Card payment");
    expect(paymentChannelLabel({ method: "card", channel: null, byPerson: true })).toBe("Card payment");
    expect(paymentChannelLabel({ method: "card", channel: "off_session", byPerson: true })).toBe("Saved card");
    expect(paymentChannelLabel({ method: "card", channel: "off_session", byPerson: false })).toBe("Automatic payment");
    expect(paymentChannelLabel({ method: "bank_transfer", channel: null, byPerson: false })).toBe("Bank transfer");
    expect(paymentChannelLabel({ method: "account_credit", channel: null, byPerson: true })).toBe("Account credit");
  });
});
