/**
 * Which payment states are open (a payment under way) and which are final. Apart from the engine
 * so that code shipped to the browser (the status names) can use them without the database.
 */
import type { PaymentState } from "@/db/schema";

export const OPEN_STATES = ["pending", "processing", "requires_action"] as const satisfies PaymentState[];
export const FINAL_STATES = ["succeeded", "failed", "cancelled"] as const satisfies PaymentState[];
