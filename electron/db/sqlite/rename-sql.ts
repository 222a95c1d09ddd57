/**
 * The text SQLite's ALTER TABLE ... RENAME leaves in indexes, views and triggers, predicted from
 * tokens: SQLite resolves every reference and writes the new name double-quoted. A table is
 * recognised by its name and the aliases given to it; a bare column name counts as the renamed
 * column unless another table the statement names has a column of that name.
 */
import { quoteIdent } from './render.ts';
import { isName, isWord, namesIt, nameOf, sqlTokens, type Token } from './tokens.ts';

export interface RenameTarget {
  table: string;
  /** The renamed column, or null when the table itself is renamed. */
  column: string | null;
  to: string;
}

/** Words that can follow a table name without being its alias. */
const NOT_ALIAS = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'outer', 'on', 'using', 'group', 'order', 'limit',
  'union', 'except', 'intersect', 'set', 'values', 'select', 'as', 'indexed', 'not', 'window', 'having', 'returning',
  'begin', 'for', 'when', 'default', 'from',
]);

/** Words after which a name is a table, not a column. */
const TABLE_POSITION = new Set(['from', 'join', 'update', 'into', 'on', 'table', 'references']);

/** Index of the name token of the object a CREATE statement makes (its own name is never a reference), or -1. */
function ownName(toks: Token[]): number {
  const k = toks.findIndex((t) => isWord(t, 'INDEX', 'VIEW', 'TRIGGER', 'TABLE'));
  if (k < 0 || !isWord(toks[0], 'CREATE')) return -1;
  const at = isWord(toks[k + 1], 'IF') ? k + 4 : k + 1;
  return toks[at + 1]?.kind === 'dot' ? at + 2 : at;
}

/**
 * `sql` with its references to the renamed table or column rewritten. `columnsOf` gives the
 * columns of a table of the schema (undefined for names that are no table); `owner` is the table
 * of a trigger, whose NEW and OLD then qualify its columns.
 */
export function renameRefs(sql: string, target: RenameTarget, columnsOf: (table: string) => readonly string[] | undefined, owner: string | null = null): string {
  const toks = sqlTokens(sql);
  const own = ownName(toks);
  const after = (k: number) => toks[k - 1]?.kind === 'dot';
  const tableRef = (k: number) => k !== own && namesIt(toks[k], target.table) && !after(k);
  const qualifiers = new Set([target.table.toLowerCase()]);
  if (owner !== null && owner.toLowerCase() === target.table.toLowerCase()) ['new', 'old'].forEach((n) => qualifiers.add(n));
  toks.forEach((_, k) => {
    if (!tableRef(k) || toks[k + 1]?.kind === 'dot') return;
    const alias = isWord(toks[k + 1], 'AS') ? toks[k + 2] : toks[k + 1];
    if (isName(alias) && !(alias.kind === 'word' && NOT_ALIAS.has(alias.value))) qualifiers.add(nameOf(alias).toLowerCase());
  });
  const named = new Set(toks.filter((t, k) => isName(t) && !after(k) && k !== own).map((t) => nameOf(t).toLowerCase()));
  const others = [...named, ...(owner ? [owner.toLowerCase()] : [])].filter((n) => n !== target.table.toLowerCase());
  const elsewhere = (col: string) => others.some((n) => columnsOf(n)?.some((c) => c.toLowerCase() === col.toLowerCase()));

  const edits: Token[] = [];
  toks.forEach((t, k) => {
    if (k === own) return;
    if (target.column !== null) {
      if (!namesIt(t, target.column) || toks[k + 1]?.kind === 'dot') return;
      const qualified = after(k);
      if (qualified ? qualifiers.has(nameOf(toks[k - 2]).toLowerCase()) : !elsewhere(target.column)) edits.push(t);
      return;
    }
    if (!tableRef(k)) return;
    const prev = toks[k - 1];
    const columnToo = [target.table, ...others].some((n) => columnsOf(n)?.some((c) => c.toLowerCase() === target.table.toLowerCase()));
    const asTable = toks[k + 1]?.kind === 'dot' || (prev?.kind === 'word' && TABLE_POSITION.has(prev.value)) || prev?.kind === 'comma';
    if (!columnToo || asTable) edits.push(t);
  });
  let out = '';
  let last = 0;
  for (const t of edits) {
    out += sql.slice(last, t.start) + quoteIdent(target.to);
    last = t.end;
  }
  return out + sql.slice(last);
}
