/**
 * What the invoice and the receipt share on paper: the colours, the A4 page, the page-1 header
 * blocks and the footer. Each document adds its own table styles to these.
 */
import { PAGE_GEOMETRY } from "./page-geometry";
import { PDF_FONT_FAMILY } from "./register-fonts";
import { FONT_FEATURES } from "./text-measure";

/** A unitless lineHeight is a multiple of the font size in react-pdf; the plans' are points. */
export const pt = (points: number) => `${points}pt`;

export const PDF_COLOURS = { ink: "#111111", grey: "#555555", rule: "#bbbbbb" } as const;

/** Plain style objects, spread into each document's StyleSheet.create. */
export const sharedDocumentStyles = {
  page: {
    // A `wrap={false}` page takes its content's height in react-pdf 4.9: pin it to A4.
    minHeight: PAGE_GEOMETRY.pageHeight,
    maxHeight: PAGE_GEOMETRY.pageHeight,
    fontFamily: PDF_FONT_FAMILY,
    fontFeatureSettings: FONT_FEATURES,
    fontSize: PAGE_GEOMETRY.fontSize,
    lineHeight: pt(PAGE_GEOMETRY.lineHeight),
    paddingTop: PAGE_GEOMETRY.marginTop,
    paddingHorizontal: PAGE_GEOMETRY.marginX,
    color: PDF_COLOURS.ink,
  },
  bold: { fontWeight: "bold" as const },
  grey: { color: PDF_COLOURS.grey },
  blockRow: { flexDirection: "row" as const, justifyContent: "space-between" as const },
  topLeft: { width: PAGE_GEOMETRY.topLeftWidth },
  topRight: { width: PAGE_GEOMETRY.topRightWidth },
  providerName: { fontSize: PAGE_GEOMETRY.providerSize, lineHeight: pt(PAGE_GEOMETRY.providerLine), fontWeight: "bold" as const },
  title: { fontSize: PAGE_GEOMETRY.titleSize, lineHeight: pt(PAGE_GEOMETRY.titleLine), fontWeight: "bold" as const, textAlign: "right" as const },
  customer: { width: PAGE_GEOMETRY.customerWidth },
  blockHeading: { fontSize: PAGE_GEOMETRY.smallSize, lineHeight: pt(PAGE_GEOMETRY.smallLine), color: PDF_COLOURS.grey },
  meta: { width: PAGE_GEOMETRY.metaLabelWidth + PAGE_GEOMETRY.metaValueWidth },
  labelValue: { flexDirection: "row" as const },
  metaValue: { width: PAGE_GEOMETRY.metaValueWidth },
  totals: { marginTop: PAGE_GEOMETRY.summaryGap, marginLeft: PAGE_GEOMETRY.contentWidth - PAGE_GEOMETRY.totalsWidth, width: PAGE_GEOMETRY.totalsWidth },
  footer: {
    position: "absolute" as const,
    bottom: PAGE_GEOMETRY.footerBottom,
    left: PAGE_GEOMETRY.marginX,
    right: PAGE_GEOMETRY.marginX,
    flexDirection: "row" as const,
    borderTopWidth: 0.5,
    borderTopColor: PDF_COLOURS.rule,
    paddingTop: PAGE_GEOMETRY.footerPaddingTop - 0.5,
    fontSize: PAGE_GEOMETRY.smallSize,
    lineHeight: pt(PAGE_GEOMETRY.smallLine),
    color: PDF_COLOURS.grey,
  },
  footerText: { width: PAGE_GEOMETRY.contentWidth - PAGE_GEOMETRY.footerPageWidth },
  pageLabel: { width: PAGE_GEOMETRY.footerPageWidth, textAlign: "right" as const },
};
