/**
 * Demo data of docs/product.md, relative to a given "today" so that overdue stays meaningful
 * (demo.ts), and a fast generator of benchmark-sized data (scale.ts), on the price list of
 * catalog.ts.
 */
export { PRODUCTS, prng, seedProducts } from "./catalog";
export { isDatabaseEmpty, resetDatabase } from "./database";
export { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from "./demo";
export { seedScale, type ScaleOptions } from "./scale";
