"use client";

import type { InvoiceStatus } from "@/lib/invoices/balance";
import { RowMenu } from "./row-menu";
import { StatusIcon } from "./status-badge";

/**
 * One row of the list, already formatted on the server: the browser receives only these strings.
 * A tuple, not an object: an object's key names would travel again with every row of the RSC
 * payload. `payable`: something is left to pay, no payment is under way, and the viewer may pay
 * (the row can be selected for "Pay selected" and has "Pay this invoice").
 */
export type ListRow = [
  number: number,
  status: InvoiceStatus,
  type: string,
  total: string,
  outstanding: string,
  payable: boolean,
  invoiceDate: string,
  dueDate: string,
];

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
 * tuple a row. The cells carry no classes: their look is the table's (globals.css,
 * .invoice-table), so the HTML holds each row's facts and little else (docs/performance.md).
 * `listHref` is this page of the list, once for all rows: "Pay this invoice" opens the dialog over it.
 */
export function InvoiceRows({ rows, listHref }: { rows: ListRow[]; listHref: string }) {
  return rows.map(([number, status, type, total, outstanding, payable, invoiceDate, dueDate]) => (
    <tr key={number}>
      <td>
        <input type="checkbox" name="n" value={number} data-outstanding={payable ? "" : undefined} aria-label={`Select invoice ${number}`} />
      </td>
      <td>
        <StatusIcon status={status} />
      </td>
      <td>{type}</td>
      <td>
        <a href={`/invoices/${number}`}>{number}</a>
      </td>
      <td>{total}</td>
      <td>{outstanding}</td>
      <td>{invoiceDate}</td>
      <td>{dueDate}</td>
      <td>
        <RowMenu number={number} payHref={payable ? withPay(listHref, number) : undefined} processing={status === "processing"} />
      </td>
    </tr>
  ));
}
