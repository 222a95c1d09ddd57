/** The aligned text tables of `dataflow history` and `dataflow runs`. */

/** A table's columns: each a header and how a row reads under it. */
export type TextColumns<T> = readonly (readonly [string, (row: T) => string])[];

/**
 * `rows` under `columns` as aligned text: the headers, a line of dashes, one line per row, each
 * followed by the lines `under` gives for it (an error, where a run stopped).
 */
export function textTable<T>(columns: TextColumns<T>, rows: readonly T[], under: (row: T) => string[]): string {
  const cells = rows.map((r) => columns.map(([, get]) => get(r)));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [fmt(columns.map(([h]) => h)), fmt(widths.map((w) => '-'.repeat(w)))];
  rows.forEach((r, i) => lines.push(fmt(cells[i]!), ...under(r)));
  return lines.join('\n');
}
