import { NotFoundContent } from "@/components/ui/not-found-content";

/** Outside the panel (an address no route answers): this page is the main landmark itself. */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <NotFoundContent />
    </main>
  );
}
