import { NotFoundContent } from "@/components/ui/not-found-content";

/** Inside the panel: its layout already has the one `main` landmark, so no second one here. */
export default function PanelNotFound() {
  return (
    <div className="mx-auto max-w-lg px-4 py-16 text-center">
      <NotFoundContent />
    </div>
  );
}
