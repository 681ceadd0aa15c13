"use client";

import type { InvoiceStatus } from "@/lib/invoices/balance";
import { RowMenu } from "./row-menu";
import { StatusIcon } from "./status-badge";

/** One row of the list, already formatted on the server: the browser receives only these strings. */
export type ListRow = {
  number: number;
  status: InvoiceStatus;
  type: string;
  total: string;
  outstanding: string;
  /**
   * Something is left to pay, no payment is under way, and the viewer may pay: the row can be
   * selected for "Pay selected" and has "Pay this invoice".
   */
  payable: boolean;
  invoiceDate: string;
  dueDate: string;
};

/** `href` with `?pay=N` (or `&pay=N`) added: where a row's "Pay this invoice" goes. */
function withPay(href: string, number: number): string {
  const [path, query = ""] = href.split("?");
  const p = new URLSearchParams(query);
  p.set("pay", String(number));
  return `${path}?${p.toString()}`;
}

/**
 * The rows of the invoice table. A client component on purpose: as a server component every
 * cell's element tree travels twice (HTML and the RSC payload); as props it is one short
 * object a row. The cells carry no classes: their look is the table's (globals.css,
 * .invoice-table), so the HTML holds each row's facts and little else (docs/performance.md).
 * `listHref` is this page of the list, once for all rows: "Pay this invoice" opens the dialog over it.
 */
export function InvoiceRows({ rows, listHref }: { rows: ListRow[]; listHref: string }) {
  return rows.map((r) => (
    <tr key={r.number}>
      <td>
        <input type="checkbox" name="n" value={r.number} data-outstanding={r.payable ? "" : undefined} aria-label={`Select invoice ${r.number}`} />
      </td>
      <td>
        <StatusIcon status={r.status} />
      </td>
      <td>{r.type}</td>
      <td>
        <a href={`/invoices/${r.number}`}>{r.number}</a>
      </td>
      <td>{r.total}</td>
      <td>{r.outstanding}</td>
      <td>{r.invoiceDate}</td>
      <td>{r.dueDate}</td>
      <td>
        <RowMenu number={r.number} payHref={r.payable ? withPay(listHref, r.number) : undefined} processing={r.status === "processing"} />
      </td>
    </tr>
  ));
}
