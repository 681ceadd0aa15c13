/**
 * Where the card provider sends the browser back after Add card: the setup is looked up with the
 * provider and, when it succeeded for the viewer's own account, the card is stored (lib/dal/cards).
 * The person lands on the Settings tab, which says what happened. A page, not a route handler:
 * the sandbox's page returns here through a server action's redirect, which the client router
 * follows as a page navigation.
 */
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { cardSetupResultPath, completeCardSetup } from "@/lib/dal/cards";
import { requireViewer } from "@/lib/dal/session";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const setupSchema = z.string().regex(/^[A-Za-z0-9_-]{1,255}$/);

export default async function CardSetupReturnPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const setup = setupSchema.safeParse((await searchParams).setup);
  if (!setup.success) notFound();
  const result = await completeCardSetup(viewer, setup.data);
  if (result === "not_found") notFound();
  redirect(cardSetupResultPath(result));
}
