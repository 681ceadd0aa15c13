/** GET /api/v1/invoices: the token's account's invoices, newest first, in cursor pages (docs/api.md). */
import { apiJson, apiRoute, parseApiQuery } from "@/lib/dal/api";
import { getInvoicePage } from "@/lib/dal/invoices";
import { invoiceListParams, invoiceListQuery } from "@/lib/api/schemas";
import { invoiceSummaryJson, pageJson } from "@/lib/api/serialize";
import { READ_ONLY_METHODS } from "@/lib/api/problem";

export const GET = apiRoute(async (viewer, request) => {
  const parsed = parseApiQuery(request, invoiceListQuery);
  if (!parsed.ok) return parsed.response;
  const page = await getInvoicePage(viewer, invoiceListParams(parsed.query), parsed.query.limit);
  return apiJson(pageJson(page, invoiceSummaryJson));
});

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
