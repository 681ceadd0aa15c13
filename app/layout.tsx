import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Cumulus", template: "%s · Cumulus" },
  description: "Invoices, payments and billing contacts of your cloud account",
  // public/icon.svg, on every page; /favicon.ico (asked for by browsers and tools) redirects to it (next.config.ts).
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
