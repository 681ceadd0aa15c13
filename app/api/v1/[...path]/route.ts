/** Any other address under /api/v1, by any method: a problem detail, not the panel's HTML 404 page (nor Next's empty 405). */
import { notFoundProblem } from "@/lib/api/problem";

export function GET() {
  return notFoundProblem();
}
export const POST = GET;
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
