export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
        <rect width="32" height="32" rx="6" fill="currentColor" opacity="0.15" />
        <path d="M10 22h12a5 5 0 0 0 .6-9.96A7 7 0 0 0 9.2 14.1 4 4 0 0 0 10 22z" fill="currentColor" />
      </svg>
      Cumulus
    </span>
  );
}
