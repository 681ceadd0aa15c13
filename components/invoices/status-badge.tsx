import { STATUS_LABEL, type InvoiceStatus } from "@/lib/invoices/balance";

/**
 * Status is an icon and a name, never colour alone: the icon is an img named by its status.
 * The icon is drawn by CSS (globals.css, .status-icon: Heroicons' shapes as masks in the status
 * colour), so a row of the invoice list carries one short element instead of an SVG path.
 */
export function StatusIcon({ status, withText = false }: { status: InvoiceStatus; withText?: boolean }) {
  const label = STATUS_LABEL[status];
  const icon = <span role="img" aria-label={label} aria-hidden={withText ? true : undefined} className={`status-icon status-${status}`} />;
  // Alone, the icon needs no wrapper (a row of the list is mostly this case).
  if (!withText && status !== "processing") return icon;
  return (
    <span className="inline-flex items-center gap-1.5">
      {icon}
      {withText && <span className="text-sm">{label}</span>}
      {/* A new status has no familiar icon yet: in the list too it is written out (the icon names it for screen readers). */}
      {!withText && status === "processing" && <span aria-hidden="true" className="text-sm whitespace-nowrap">{label}</span>}
    </span>
  );
}
