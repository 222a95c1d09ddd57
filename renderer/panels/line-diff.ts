/** A line diff by longest common subsequence, and its side-by-side rows for before/after DDL. */

export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** 1-based line number in the before text (null for an added line). */
  before: number | null;
  /** 1-based line number in the after text (null for a removed line). */
  after: number | null;
}

const lines = (text: string) => (text === '' ? [] : text.split(/\r?\n/));

/** The edit from `before` to `after`, line by line: a longest common subsequence is kept, the rest removed or added (removals first). */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  const n = a.length;
  const m = b.length;
  // lcs[i * (m + 1) + j]: length of the LCS of a[i..] and b[j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, before: ++i, after: ++j });
    } else if (j >= m || (i < n && lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) {
      out.push({ kind: 'removed', text: a[i]!, before: ++i, after: null });
    } else {
      out.push({ kind: 'added', text: b[j]!, before: null, after: ++j });
    }
  }
  return out;
}

export interface SideCell {
  kind: DiffLine['kind'];
  line: number;
  text: string;
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
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push({ left: removed[k] ?? null, right: added[k] ?? null });
    removed = [];
    added = [];
  };
  for (const d of diff) {
    if (d.kind === 'removed') removed.push({ kind: 'removed', line: d.before!, text: d.text });
    else if (d.kind === 'added') added.push({ kind: 'added', line: d.after!, text: d.text });
    else {
      flush();
      rows.push({ left: { kind: 'same', line: d.before!, text: d.text }, right: { kind: 'same', line: d.after!, text: d.text } });
    }
  }
  flush();
  return rows;
}
