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
  payHref?: string;
  invoiceDate: string;
  dueDate: string;
};

/**
 * The rows of the invoice table. A client component on purpose: as a server component every
 * cell's element tree travels twice (HTML and the RSC payload); as props it is one short
 * object a row, which the server renders and sends far faster (docs/performance.md).
 */
export function InvoiceRows({ rows }: { rows: ListRow[] }) {
  return rows.map((r) => (
    <tr key={r.number} className="hover:bg-slate-50">
      <td>
        <input
          type="checkbox"
          name="n"
          value={r.number}
          data-outstanding={r.payHref ? "" : undefined}
          aria-label={`Select invoice ${r.number}`}
          className="size-4 rounded border-slate-400"
        />
      </td>
      <td>
        <StatusIcon status={r.status} />
      </td>
      <td>{r.type}</td>
      <td>
        <a href={`/invoices/${r.number}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
          {r.number}
        </a>
      </td>
      <td className="text-right">{r.total}</td>
      <td className="text-right">{r.outstanding}</td>
      <td>{r.invoiceDate}</td>
      <td>{r.dueDate}</td>
      <td className="text-right">
        <RowMenu number={r.number} payHref={r.payHref} processing={r.status === "processing"} />
      </td>
    </tr>
  ));
}
