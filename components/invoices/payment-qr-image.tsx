/**
 * A payment QR code drawn from its path (lib/payments/qr-matrix.ts): black on white in either
 * colour scheme, as scanners need, with an accessible name that says what it is for.
 */
export type PaymentQrImageData = { size: number; path: string; label: string };

export function PaymentQrImage({ qr }: { qr: PaymentQrImageData }) {
  return (
    <figure className="mt-2">
      <svg
        role="img"
        aria-label={qr.label}
        viewBox={`0 0 ${qr.size} ${qr.size}`}
        shapeRendering="crispEdges"
        className="size-44 rounded border border-slate-200"
      >
        <rect width={qr.size} height={qr.size} fill="#ffffff" />
        <path d={qr.path} fill="#000000" />
      </svg>
      <figcaption className="mt-1 text-xs text-slate-700">Scan with your banking app</figcaption>
    </figure>
  );
}
