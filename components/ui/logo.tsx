/** The logo: a CSS-drawn mark (globals.css, .icon-logo) in the text colour, and the name. */
export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <span aria-hidden="true" className="icon icon-logo size-7" />
      Cumulus
    </span>
  );
}
