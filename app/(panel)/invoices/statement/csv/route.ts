/** GET /invoices/statement/csv?period=…: the account statement for the period as CSV. */
import { getStatementCsv, readStatementRequest } from "@/lib/dal/statement";

export async function GET(request: Request) {
  const asked = await readStatementRequest(request);
  if (asked instanceof Response) return asked;
  const csv = await getStatementCsv(asked.viewer, asked.period);
  return new Response(csv.text, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csv.fileName}"`,
      "cache-control": "no-store",
    },
  });
}
