/** Small helpers for timing repeated measurements. */

/** The median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` and returns its value and the wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** `1234567.8` -> `1,234,568`. */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** A list of milliseconds as `12.3 / 14.0 / 13.1`. */
export const msList = (xs: readonly number[]) => xs.map((x) => x.toFixed(1)).join(' / ');

/** Per-run ratios a[i] / b[i] of two series measured side by side (robust to load that drifts between runs). */
export const pairedRatios = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x / b[i]!);
