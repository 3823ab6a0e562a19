// What the benchmarks share: a summary of samples and where the figures are written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Median, 95th percentile and maximum of `samples`, in milliseconds. */
export function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    count: sorted.length,
    median_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    max_ms: round(sorted[sorted.length - 1]),
  };
}

/** Writes `figures` as target/bench/`name`, which `cargo xtask bench` reads. */
export function writeFigures(name: string, figures: unknown) {
  const out = resolve(__dirname, '..', '..', 'target', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, name), JSON.stringify(figures, null, 2));
}
