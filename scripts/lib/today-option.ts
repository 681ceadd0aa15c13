/**
 * The `--today YYYY-MM-DD` option of the daily jobs (reminders, budget check, card notices, automatic
 * payment): the date for every account, or undefined for each account's own today. A bad
 * argument prints why with the usage and gives exit code 2.
 */
import { parseArgs } from "node:util";
import { BillingInputError, parseToday } from "@/lib/billing/period";

export function parseTodayOption(usage: string): { today: string | undefined } | { exitCode: 2 } {
  try {
    const { values } = parseArgs({ options: { today: { type: "string" } } });
    return { today: values.today === undefined ? undefined : parseToday(values.today) };
  } catch (err) {
    if (err instanceof BillingInputError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(err as Error).message}\n${usage}`);
      return { exitCode: 2 };
    }
    throw err;
  }
}
