/** The sandbox pages' button look (its own: the provider's pages are not the panel's). */
export const sandboxButton = "rounded-md px-4 py-2 font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2";

/** The sandbox's 3-D Secure buttons, on its payment page and its "save a card" page. */
export function ThreeDSecureButtons({ action }: { action: (formData: FormData) => Promise<void> }) {
  return (
    <form action={action} className="flex flex-wrap gap-3">
      <button type="submit" name="result" value="approve" className={`${sandboxButton} bg-indigo-700 text-white hover:bg-indigo-800 focus-visible:ring-indigo-700`}>
        Complete authentication
      </button>
      <button type="submit" name="result" value="fail" className={`${sandboxButton} border border-slate-300 hover:bg-slate-50 focus-visible:ring-slate-500`}>
        Fail authentication
      </button>
    </form>
  );
}
