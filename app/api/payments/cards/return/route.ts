/**
 * Where the card provider sends the browser back after Add card: the setup is looked up with the
 * provider and, when it succeeded for the viewer's own account, the card is stored (lib/dal/cards).
 * The person lands on the Settings tab, which says what happened.
 */
import { z } from "zod";
import { completeCardSetup } from "@/lib/dal/cards";
import { getViewer } from "@/lib/dal/session";

const see = (location: string) => new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });

const setupSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/);

export async function GET(request: Request) {
  const url = new URL(request.url);
  const viewer = await getViewer();
  if (!viewer) return see(`/login?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`);
  const setup = setupSchema.safeParse(url.searchParams.get("setup"));
  if (!setup.success) return Response.json({ error: "not found" }, { status: 404 });
  const result = await completeCardSetup(viewer, setup.data);
  if (result === "not_found") return Response.json({ error: "not found" }, { status: 404 });
  return see(`/?settings=settings&card=${result}`);
}
