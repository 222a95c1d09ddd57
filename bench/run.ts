/**
 * `npm run bench [name...]`: runs every benchmark module `bench/<name>.ts` (each exports
 * `run(): Promise<BenchResult | BenchResult[]>`, prints its own figures and measures its baseline
 * in the same run), then prints a summary with the machine it ran on. Exit code 1 when a ratio
 * misses its target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface BenchResult {
  name: string;
  /** Headline figures, e.g. `{ "1M rows median ms": 3.1 }`. */
  figures: Record<string, number>;
  /** Measured / baseline, both measured in the same run. */
  ratio: number;
  /** What the ratio is compared with. */
  baseline: string;
  /** The ratio must not exceed this; none for a figure reported beside the targets. */
  target?: number;
}

export function machine(): string {
  const model =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} CPU(s) (${model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${new Date().toISOString().slice(0, 10)}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = new URL('.', import.meta.url);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  if (names.length === 0) throw new Error(`no benchmark matches ${only.join(', ')}`);
  const results: BenchResult[] = [];
  for (const name of names) {
    console.log(`\n== ${name}`);
    const mod = (await import(new URL(`${name}.ts`, dir).href)) as { run(): Promise<BenchResult | BenchResult[]> };
    results.push(...[await mod.run()].flat());
  }
  console.log(`\n== summary (${machine()})`);
  for (const r of results) {
    const figures = Object.entries(r.figures)
      .map(([k, v]) => `${k} ${Number(v.toFixed(2))}`)
      .join(', ');
    const verdict =
      r.target === undefined ? '(no target)' : `(target <= ${r.target}) ${r.ratio <= r.target ? 'ok' : 'OVER TARGET'}`;
    console.log(`${r.name}: ratio ${r.ratio.toFixed(2)} vs ${r.baseline} ${verdict}; ${figures}`);
  }
  if (results.some((r) => r.target !== undefined && r.ratio > r.target)) process.exitCode = 1;
}

await main();
