/**
 * Puts each column and constraint of a CREATE TABLE on its own line, so that a line diff of two
 * DDLs shows the columns that changed (SQLite keeps DDL as it was written, often on one line).
 */

const CLOSERS: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };

/** The DDL with its column list one item per line; DDL that is not a CREATE TABLE, or holds comments, is returned unchanged. */
export function formatDdl(ddl: string): string {
  if (!/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?TABLE\b/i.test(ddl)) return ddl;
  let open = -1;
  let depth = 0;
  let quote: string | null = null;
  const items: string[] = [];
  let item = '';
  for (let i = 0; i < ddl.length; i++) {
    const c = ddl[i]!;
    if (quote) {
      if (depth > 0) item += c;
      if (c === quote) quote = null;
      continue;
    }
    if ((c === '-' && ddl[i + 1] === '-') || (c === '/' && ddl[i + 1] === '*')) return ddl;
    if (c in CLOSERS) quote = CLOSERS[c]!;
    if (c === '(' && depth++ === 0) {
      open = i;
      continue;
    }
    if (c === ')' && --depth === 0) {
      items.push(item.trim());
      if (items.some((x) => x === '')) return ddl;
      return `${ddl.slice(0, open).trim()} (\n${items.map((x) => `  ${x}`).join(',\n')}\n)${ddl.slice(i + 1)}`;
    }
    if (depth === 1 && c === ',') {
      items.push(item.trim());
      item = '';
    } else if (depth > 0) {
      item += /\s/.test(c) ? (/\s$/.test(item) ? '' : ' ') : c;
    }
  }
  return ddl;
}
