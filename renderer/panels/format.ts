/** Number, size, duration and ETA text shared by the panels. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** `1,234` for integers, up to 3 decimals otherwise. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? integer.format(n) : decimal.format(n);
}

/** `512 B`, `200 KiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 || v >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '');
  return `${bytes < 0 ? '-' : ''}${text} ${units[u]}`;
}

/** `850 ms`, `2.4 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1).replace(/\.0$/, '')} s`;
  return formatSeconds(Math.round(s));
}

function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** The ETA of a progress report: `ETA 42 s`, `ETA < 1 s`, `ETA unknown` (no estimate yet). */
export function formatEta(etaSeconds: number | null): string {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return 'ETA unknown';
  if (etaSeconds < 1) return 'ETA < 1 s';
  return `ETA ${formatSeconds(Math.round(etaSeconds))}`;
}

/** `+12.5%`, `-80.9%`, `0%`; `n/a` where no percentage exists. */
export function formatPct(pct: number | null): string {
  if (pct === null) return 'n/a';
  return `${pct > 0 ? '+' : ''}${decimal.format(pct)}%`;
}

/** `+0.041 s` after the run started: the time column of the run log. */
export function formatOffset(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)} s`;
}

/** A local date and time for lists (`2025-06-01 14:03:27`). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A count with its noun, singular for exactly one: `1 node`, `2 nodes`, `0 rows`, `1,500 rows`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatNumber(n)} ${n === 1 ? noun : nouns}`;
}
