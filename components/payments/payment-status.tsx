import { ArrowPathIcon, CheckCircleIcon, XCircleIcon } from "@heroicons/react/24/solid";
import type { PaymentState } from "@/lib/payments/states";
import { PAYMENT_STATE_LABEL } from "@/lib/payments/states";

const ICON: Record<PaymentState, typeof CheckCircleIcon> = {
  succeeded: CheckCircleIcon,
  pending: ArrowPathIcon,
  processing: ArrowPathIcon,
  requires_action: ArrowPathIcon,
  failed: XCircleIcon,
  cancelled: XCircleIcon,
};
const COLOR: Record<PaymentState, string> = {
  succeeded: "text-green-600",
  pending: "text-amber-600",
  processing: "text-amber-600",
  requires_action: "text-amber-600",
  failed: "text-red-600",
  cancelled: "text-slate-500",
};

/** A payment's state as an icon and its name in words: never colour alone. */
export function PaymentStatus({ state }: { state: PaymentState }) {
  const Icon = ICON[state];
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon aria-hidden="true" className={`size-5 shrink-0 ${COLOR[state]}`} />
      <span>{PAYMENT_STATE_LABEL[state]}</span>
    </span>
  );
}
