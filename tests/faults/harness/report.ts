/** What a fault scenario found: checks that pass or fail, with the numbers behind them. */
export type Check = { label: string; pass: boolean; detail: string };

export type ScenarioResult = {
  name: string;
  /** One line with the scenario's main numbers. */
  summary: string;
  checks: Check[];
  seconds: number;
  /** Figures for the JSON record. */
  figures: Record<string, number | string>;
};

export class Checks {
  readonly list: Check[] = [];

  check(label: string, pass: boolean, detail: string): void {
    this.list.push({ label, pass, detail });
  }

  /** `actual` must equal `expected` (null, e.g. the exit code of a process a signal ended, never does). */
  equal(label: string, actual: number | null, expected: number): void {
    this.check(label, actual === expected, `${actual}${actual === expected ? "" : `, expected ${expected}`}`);
  }

  get passed(): boolean {
    return this.list.every((c) => c.pass);
  }
}

export function printResult(r: ScenarioResult): void {
  console.log(`\n── ${r.name} (${r.seconds.toFixed(0)} s)`);
  console.log(`   ${r.summary}`);
  const width = Math.max(...r.checks.map((c) => c.label.length));
  for (const c of r.checks) console.log(`   ${c.pass ? "PASS" : "FAIL"}  ${c.label.padEnd(width)}  ${c.detail}`);
}
