/** GET /api/v1/payments: the token's account's payments, newest first, in cursor pages (docs/api.md). */
import { apiJson, apiRoute, parseApiQuery } from "@/lib/dal/api";
import { getPaymentPage } from "@/lib/dal/payments";
import { paymentListParams, paymentListQuery } from "@/lib/api/schemas";
import { pageJson, paymentJson } from "@/lib/api/serialize";
import { READ_ONLY_METHODS } from "@/lib/api/problem";

export const GET = apiRoute(async (viewer, request) => {
  const parsed = parseApiQuery(request, paymentListQuery);
  if (!parsed.ok) return parsed.response;
  const page = await getPaymentPage(viewer, paymentListParams(parsed.query), parsed.query.limit);
  return apiJson(pageJson(page, paymentJson));
});

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
