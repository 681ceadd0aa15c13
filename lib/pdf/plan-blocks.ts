/**
 * What the invoice and receipt planners share: text wrapped to a width in the document's font,
 * label/value rows, and page 1's top blocks (the provider and the document's title above, the
 * customer and the document's details below).
 */
import type { IssuedCustomer, Language } from "@/db/schema";
import { countryName } from "@/lib/countries";
import { pdfStrings } from "@/lib/format/invoice-strings";
import type { InvoicePdfProvider } from "@/lib/invoices/types";
import { PAGE_GEOMETRY } from "./page-geometry";
import { wrapText, type Measure } from "./text-measure";

export type PlanCell = { text: string; lines: number };

export type PlanLabelValue = { label: string; value: string; height: number };

/** Text measured in the document's font: wrapped to a width, and label/value rows. */
export type PlanText = {
  wrap: (text: string, width: number, fontSize?: number, bold?: boolean) => PlanCell;
  labelValue: (label: string, value: string, labelWidth: number, valueWidth: number, lineHeight?: number, bold?: boolean) => PlanLabelValue;
};

export function planText(measure: Measure): PlanText {
  // NFC: the fonts' features are off (text-measure.ts), so combining marks must be precomposed.
  const wrap = (text: string, width: number, fontSize: number = PAGE_GEOMETRY.fontSize, bold = false): PlanCell => {
    const lines = wrapText(text.normalize("NFC"), width, measure, fontSize, bold);
    return { text: lines.join("\n"), lines: lines.length };
  };
  return {
    wrap,
    labelValue: (label, value, labelWidth, valueWidth, lineHeight = PAGE_GEOMETRY.lineHeight, bold = false) => {
      const labelCell = wrap(label, labelWidth, PAGE_GEOMETRY.fontSize, bold);
      const valueCell = wrap(value, valueWidth, PAGE_GEOMETRY.fontSize, bold);
      return { label: labelCell.text, value: valueCell.text, height: Math.max(labelCell.lines, valueCell.lines) * lineHeight };
    },
  };
}

/** The provider's postal lines with its country named in the document's language. */
export function providerAddressLines(provider: InvoicePdfProvider, language: Language): string[] {
  return [...provider.addressLines, countryName(provider.countryCode, language)];
}

export type TopBlocksInput = {
  provider: InvoicePdfProvider;
  customer: IssuedCustomer;
  language: Language;
  title: string;
  /** Under the title: the document's number, in its own size. */
  numberLine: string;
  numberSize: number;
  numberLineHeight: number;
  /** The document's details beside the customer. */
  meta: PlanLabelValue[];
};

export type TopBlocks = {
  providerName: string;
  providerAddress: string;
  title: string;
  numberLine: string;
  /** The provider and title block's height. */
  heightA: number;
  customerName: string;
  customerLines: string;
  /** The customer and details block's height. */
  heightB: number;
};

/** Page 1's top: provider and title (block A), customer and the document's details (block B). */
export function planTopBlocks(text: PlanText, input: TopBlocksInput): TopBlocks {
  const { wrap } = text;
  const g = PAGE_GEOMETRY;
  const providerName = wrap(input.provider.name, g.topLeftWidth, g.providerSize, true);
  const providerAddress = wrap(providerAddressLines(input.provider, input.language).join("\n"), g.topLeftWidth);
  const title = wrap(input.title, g.topRightWidth, g.titleSize, true);
  const numberLine = wrap(input.numberLine, g.topRightWidth, input.numberSize);
  const heightA = Math.max(
    providerName.lines * g.providerLine + providerAddress.lines * g.lineHeight,
    title.lines * g.titleLine + numberLine.lines * input.numberLineHeight,
  );
  const customerName = wrap(input.customer.name, g.customerWidth, g.fontSize, true);
  const customerLines = wrap(customerAddressLines(input.customer, input.language).join("\n"), g.customerWidth);
  const heightB = Math.max(
    g.smallLine + (customerName.lines + customerLines.lines) * g.lineHeight,
    input.meta.reduce((h, m) => h + m.height, 0),
  );
  return {
    providerName: providerName.text,
    providerAddress: providerAddress.text,
    title: title.text,
    numberLine: numberLine.text,
    heightA,
    customerName: customerName.text,
    customerLines: customerLines.text,
    heightB,
  };
}

/** The customer block under its name: c/o, street, city, country and its registration numbers. */
function customerAddressLines(customer: IssuedCustomer, language: Language): string[] {
  const strings = pdfStrings(language);
  return [
    customer.careOf ? `${strings.careOf} ${customer.careOf}` : null,
    customer.street,
    `${customer.zipCode} ${customer.city}`,
    countryName(customer.countryCode, language),
    customer.organisationNumber ? `${strings.organisationNumber} ${customer.organisationNumber}` : null,
    customer.vatNumber ? `${strings.vatNumber} ${customer.vatNumber}` : null,
  ].filter((line): line is string => Boolean(line));
}
