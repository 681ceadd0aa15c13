/** Any other address under /api/v1: a problem detail, not the panel's HTML 404 page. */
import { notFoundProblem } from "@/lib/api/problem";

export function GET() {
  return notFoundProblem();
}
