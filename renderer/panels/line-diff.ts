/** A line diff by longest common subsequence, and its side-by-side rows for before/after DDL. */

/** A line of one side: its 1-based number and its text. */
export interface Line {
  line: number;
  text: string;
}

export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  /** The line in the before text (null for an added line). */
  before: Line | null;
  /** The line in the after text (null for a removed line). */
  after: Line | null;
}

const lines = (text: string) => (text === '' ? [] : text.split(/\r?\n/));

/**
 * The edit from `before` to `after`, line by line: a longest common subsequence is kept, the rest
 * removed or added (removals first). Lines are equal when their `key`s are (default: the text).
 */
export function lineDiff(before: string, after: string, key: (line: string) => string = (l) => l): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  const ka = a.map(key);
  const kb = b.map(key);
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  // lcs[i * w + j]: length of the LCS of a[i..] and b[j..].
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        ka[i] === kb[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  const left = (i: number): Line => ({ line: i + 1, text: a[i]! });
  const right = (j: number): Line => ({ line: j + 1, text: b[j]! });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) out.push({ kind: 'same', before: left(i++), after: right(j++) });
    else if (j >= m || (i < n && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!))
      out.push({ kind: 'removed', before: left(i++), after: null });
    else out.push({ kind: 'added', before: null, after: right(j++) });
  }
  return out;
}

export interface SideCell extends Line {
  kind: DiffLine['kind'];
}

/** One row of a side-by-side view: the before line on the left, the after line on the right. */
export interface SideRow {
  left: SideCell | null;
  right: SideCell | null;
}

/** Pairs a diff into rows: unchanged lines side by side, each block of removals next to the additions that replace it. */
export function sideBySide(diff: readonly DiffLine[]): SideRow[] {
  const rows: SideRow[] = [];
  let removed: SideCell[] = [];
  let added: SideCell[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++)
      rows.push({ left: removed[k] ?? null, right: added[k] ?? null });
    removed = [];
    added = [];
  };
  for (const d of diff) {
    if (d.kind === 'removed') removed.push({ kind: 'removed', ...d.before! });
    else if (d.kind === 'added') added.push({ kind: 'added', ...d.after! });
    else {
      flush();
      rows.push({ left: { kind: 'same', ...d.before! }, right: { kind: 'same', ...d.after! } });
    }
  }
  flush();
  return rows;
}
