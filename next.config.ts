import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

const nextConfig: NextConfig = {
  // PGlite loads its WebAssembly and data files by path; bundling it breaks every query.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // The embedded database must never be traced into a build output.
  outputFileTracingExcludes: { "*": [".data/**", ".data-*/**"] },
  // Read by path at run time, so tracing the imports alone would leave them out of standalone.
  outputFileTracingIncludes: {
    "*": [
      "db/migrations/**",
      "lib/pdf/fonts/*.ttf",
      "node_modules/@electric-sql/pglite/dist/*.{wasm,data}",
    ],
  },
  poweredByHeader: false,
  // Tests and scripts are type-checked by `npm run typecheck`, not by the app build.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  typedRoutes: false,
  // forbidden(): a refused server action or route answers 403, not 200 with an error body.
  experimental: { authInterrupts: true },
  // Browsers and tools still ask for /favicon.ico: the panel's icon is public/icon.svg.
  async redirects() {
    return [{ source: "/favicon.ico", destination: "/icon.svg", permanent: true }];
  },
};

/**
 * The build also writes the standalone server a Node host runs (`node .next/standalone/server.js`,
 * docs/operations.md). `next start` (npm start, the tests) serves the same build, and is not told
 * of the option: it would warn that it does not run the standalone server.
 */
export default function config(phase: string): NextConfig {
  return phase === PHASE_PRODUCTION_BUILD ? { ...nextConfig, output: "standalone" } : nextConfig;
}
