/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 document, public (it describes, it holds no data). */
import { openApiDocument } from "@/lib/api/openapi";
import { READ_ONLY_METHODS } from "@/lib/api/problem";

export function GET() {
  return new Response(JSON.stringify(openApiDocument()), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

export const { POST, PUT, PATCH, DELETE } = READ_ONLY_METHODS;
