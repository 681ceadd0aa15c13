import { CheckCircleIcon, ClockIcon, ExclamationCircleIcon } from "@heroicons/react/24/solid";
import { STATUS_LABEL, type InvoiceStatus } from "@/lib/invoices/balance";

/** Status is an icon and a name, never colour alone: the icon is an img named by its status. */
export function StatusIcon({ status, withText = false }: { status: InvoiceStatus; withText?: boolean }) {
  const label = STATUS_LABEL[status];
  const Icon = status === "paid" ? CheckCircleIcon : status === "overdue" ? ExclamationCircleIcon : ClockIcon;
  const color = status === "paid" ? "text-green-600" : status === "overdue" ? "text-red-600" : "text-slate-500";
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon role="img" aria-label={label} aria-hidden={withText ? true : undefined} className={`size-6 shrink-0 ${color}`} />
      {withText && <span className="text-sm">{label}</span>}
    </span>
  );
}
