import { ArrowPathIcon, CheckCircleIcon, ClockIcon, ExclamationCircleIcon } from "@heroicons/react/24/solid";
import { STATUS_LABEL, type InvoiceStatus } from "@/lib/invoices/balance";

const ICON = { paid: CheckCircleIcon, overdue: ExclamationCircleIcon, outstanding: ClockIcon, processing: ArrowPathIcon } as const;
const COLOR = { paid: "text-green-600", overdue: "text-red-600", outstanding: "text-slate-500", processing: "text-amber-600" } as const;

/** Status is an icon and a name, never colour alone: the icon is an img named by its status. */
export function StatusIcon({ status, withText = false }: { status: InvoiceStatus; withText?: boolean }) {
  const label = STATUS_LABEL[status];
  const Icon = ICON[status];
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon role="img" aria-label={label} aria-hidden={withText ? true : undefined} className={`size-6 shrink-0 ${COLOR[status]}`} />
      {withText && <span className="text-sm">{label}</span>}
      {/* A new status has no familiar icon yet: in the list too it is written out (the icon names it for screen readers). */}
      {!withText && status === "processing" && <span aria-hidden="true" className="text-sm whitespace-nowrap">{label}</span>}
    </span>
  );
}
