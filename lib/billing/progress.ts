/**
 * Progress of a long command on the terminal: done / total, rate, time left. On a terminal one
 * line is rewritten in place (at most a few times a second); into a file or pipe a plain line
 * is written every few seconds, so a log stays readable.
 */
export type ProgressState = { done: number; total: number; elapsedMs: number; extra?: string };

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

const int = new Intl.NumberFormat("en");

/** "4,250 / 10,000 accounts (42 %), 812/s, about 7 s left". */
export function progressLine(p: ProgressState, noun = "accounts"): string {
  const total = Math.max(p.total, p.done);
  const pct = total > 0 ? Math.floor((p.done / total) * 100) : 100;
  const rate = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
  const left = rate > 0 ? ((total - p.done) / rate) * 1000 : Number.NaN;
  const rateText = rate >= 10 ? int.format(Math.round(rate)) : rate.toFixed(1);
  return (
    `${int.format(p.done)} / ${int.format(total)} ${noun} (${pct} %), ${rateText}/s, ` +
    `${p.done >= total ? "done" : `about ${formatDuration(left)} left`}${p.extra ? `; ${p.extra}` : ""}`
  );
}

export type ProgressPrinter = { update: (p: ProgressState) => void; finish: () => void };

export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  opts: { noun?: string; ttyEveryMs?: number; logEveryMs?: number } = {},
): ProgressPrinter {
  const tty = Boolean(stream.isTTY);
  const every = tty ? (opts.ttyEveryMs ?? 200) : (opts.logEveryMs ?? 5000);
  let last = 0;
  let pending: ProgressState | null = null;
  let shown = false;
  const write = (p: ProgressState) => {
    const line = progressLine(p, opts.noun);
    if (tty) stream.write(`\r\x1b[K${line}`);
    else stream.write(`${line}\n`);
    shown = true;
    pending = null;
  };
  return {
    update(p) {
      const now = performance.now();
      if (now - last >= every) {
        last = now;
        write(p);
      } else pending = p;
    },
    finish() {
      if (pending) write(pending);
      if (tty && shown) stream.write("\n");
    },
  };
}
