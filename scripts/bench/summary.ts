/** The end of a bench run: the tables on the terminal and the results files. */
import os from "node:os";
import path from "node:path";
import { redactUrl } from "./database";
import { args, cfg, databaseUrl, quick, root, started } from "./options";
import { checksTable, loadsTable, machine, writeResults } from "./report";
import type { BenchRun } from "./run";

/** The tables, the machine's load, and the results files. */
export function report(m: ReturnType<typeof machine>, startPressure: number | null, run: BenchRun): void {
  const staticRps = run.ceiling?.staticRps ?? null;
  const rssLog = run.rssLog;
  const totalSeconds = (Date.now() - started) / 1000;
  console.log(`\nCumulus bench — ${new Date().toISOString()} — ${m.nproc} CPUs, Node ${m.node}, ${run.data.invoices.toLocaleString("en")} invoices (big account ${run.data.bigAccountInvoices.toLocaleString("en")}), ${cfg.connections} clients, ${cfg.seconds} s per load${quick ? ", --quick" : ""}${cfg.jitOff ? ", --jit-off" : ""}\n`);
  console.log(checksTable(run.checks));
  console.log("\n" + loadsTable(run.loads, staticRps));
  const missed = run.checks.filter((c) => c.pass === false).length;
  const passed = run.checks.filter((c) => c.pass === true).length;
  console.log(`\n${passed} targets met, ${missed} missed — ${totalSeconds.toFixed(0)} s in all`);
  // Before the server starts, the figures show other work on the machine; later they include ours.
  console.log(
    `machine (load average 1 min · CPU pressure avg10 %): at start ${m.loadAverage[0]} · ${startPressure ?? "?"}; ${rssLog.map((r) => `${r.at} ${r.loadAverage[0]} · ${r.cpuPressureAvg10 ?? "?"}`).join("; ")}`,
  );
  if ((startPressure ?? 0) > 20) console.log("note: the machine was busy with other work when the bench started; absolute figures suffer most, ratios less.");
  const files = writeResults(path.resolve(root, args.out), {
    date: new Date().toISOString(),
    machine: { ...m, cpuPressureAtStart: startPressure, loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
    options: cfg,
    database: {
      url: redactUrl(databaseUrl),
      invoices: run.data.invoices,
      bigAccountInvoices: run.data.bigAccountInvoices,
      longInvoiceNumber: run.data.longInvoiceNumber,
      seeded: run.data.seeded,
      seedSeconds: run.data.seedSeconds,
    },
    checks: run.checks,
    loads: run.loads,
    details: run.details,
    serverRss: rssLog,
    totalSeconds,
  });
  console.log(`results: ${files.map((f) => path.relative(root, f)).join(", ")}`);
}
