import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csvLine", () => {
  it("prefixes a text cell a spreadsheet would run as a formula with '", () => {
    for (const text of ["=HYPERLINK(\"http://x\")", "+1+1", "-1+cmd", "@SUM(A1)", "\tx", "\rx"]) {
      expect(csvCell(text)).toBe(`'${text}`);
    }
    expect(csvLine(["=1+1", "Invoice 7"])).toBe("'=1+1,Invoice 7\r\n");
  });

  it("keeps numbers and plain amounts, negative ones too, as numbers", () => {
    expect(csvLine([-12, "-12.50", "0.00", "Credit"])).toBe("-12,-12.50,0.00,Credit\r\n");
  });

  it("leaves ordinary text alone", () => {
    expect(csvCell("Cloud server a=b")).toBe("Cloud server a=b");
    expect(csvCell("")).toBe("");
  });
});
