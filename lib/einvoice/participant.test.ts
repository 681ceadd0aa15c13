import { describe, expect, it } from "vitest";
import { formatParticipantId, PARTICIPANT_SCHEMES, parseParticipantId, participantIdOf } from "./participant";

describe("parseParticipantId", () => {
  it("accepts each scheme's own example", () => {
    for (const [code, scheme] of Object.entries(PARTICIPANT_SCHEMES)) {
      const parsed = parseParticipantId(scheme.example);
      expect(parsed, code).toMatchObject({ ok: true, value: { scheme: code } });
    }
  });

  it("drops spaces and hyphens in the identifier and upper-cases letters", () => {
    const parsed = parseParticipantId(" 0007: 556732-1707 ");
    expect(parsed).toEqual({ ok: true, value: { scheme: "0007", identifier: "5567321707" } });
    if (parsed.ok) expect(formatParticipantId(parsed.value)).toBe("0007:5567321707");
    expect(parseParticipantId("9955:se556732170701")).toMatchObject({ ok: true, value: { identifier: "SE556732170701" } });
  });

  it.each([
    ["5567321707", /scheme and the identifier/],
    ["0007:5567321708", /not a valid Swedish organisation number/], // check digit
    ["0007:556732170", /not a valid Swedish organisation number/], // 9 digits
    ["0088:7300010000002", /not a valid GLN/],
    ["0192:974760674", /not a valid Norwegian organisation number/],
    ["0184:13585627", /not a valid Danish CVR number/],
    ["0216:003701114553", /not a valid Finnish OVT code/],
    ["0216:004401114552", /not a valid Finnish OVT code/], // not 0037
    ["9955:SE556732170702", /not a valid Swedish VAT number/],
    ["9999:123", /Scheme 9999 is not supported/],
  ])("refuses %s", (input, message) => {
    const parsed = parseParticipantId(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe("participantIdOf", () => {
  const of = (countryCode: string, organisationNumber: string | null, vatNumber: string | null) => {
    const id = participantIdOf({ countryCode, organisationNumber, vatNumber });
    return id && formatParticipantId(id);
  };
  it("derives the id where the scheme's identifier is the organisation number or the VAT number's digits", () => {
    expect(of("SE", "556732-1707", "SE556732170701")).toBe("0007:5567321707");
    expect(of("SE", null, "SE556732170701")).toBe("9955:SE556732170701");
    expect(of("NO", null, "NO974760673MVA")).toBe("0192:974760673");
    expect(of("DK", null, "DK13585628")).toBe("0184:13585628");
    expect(of("FI", null, "FI01114552")).toBe("0216:003701114552");
  });
  it("gives none for other countries, and for numbers that fail their check digit", () => {
    expect(of("DE", "HRB 12345", "DE136695976")).toBeNull();
    expect(of("US", null, null)).toBeNull();
    expect(of("NO", null, "NO974760674MVA")).toBeNull();
    expect(of("FI", null, "SE556732170701")).toBeNull();
  });
});
