/**
 * The text SQLite's ALTER TABLE ... RENAME leaves in indexes, views and triggers, predicted from
 * tokens: SQLite resolves every reference and writes the new name double-quoted. A table is
 * recognised by its name and the aliases given to it; a bare column name counts as the renamed
 * column unless another table the statement names has a column of that name.
 */
import { quoteIdent } from '../render.ts';
import { isName, isWord, namesIt, nameOf, sqlTokens, type Token } from '../tokens.ts';

export interface RenameTarget {
  table: string;
  /** The renamed column, or null when the table itself is renamed. */
  column: string | null;
  to: string;
}

/** Words that can follow a table name without being its alias. */
const NOT_ALIAS = new Set([
  'where',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'natural',
  'outer',
  'on',
  'using',
  'group',
  'order',
  'limit',
  'union',
  'except',
  'intersect',
  'set',
  'values',
  'select',
  'as',
  'indexed',
  'not',
  'window',
  'having',
  'returning',
  'begin',
  'for',
  'when',
  'default',
  'from',
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

/** Token range (exclusive) of the columns of a trigger's `UPDATE OF a, b ON`, which belong to its table. */
function updateOfColumns(toks: Token[]): [number, number] {
  const begin = toks.findIndex((t) => isWord(t, 'BEGIN'));
  const of = toks.findIndex((t, k) => isWord(t, 'OF') && (begin < 0 || k < begin));
  if (of < 0) return [0, 0];
  const on = toks.findIndex((t, k) => k > of && isWord(t, 'ON'));
  return [of, on < 0 ? of : on];
}

/**
 * `sql` with its references to the renamed table or column rewritten. `columnsOf` gives the
 * columns of a table of the schema (undefined for names that are no table); `owner` is the table
 * of a trigger, whose NEW and OLD then qualify its columns.
 */
export function renameRefs(
  sql: string,
  target: RenameTarget,
  columnsOf: (table: string) => readonly string[] | undefined,
  owner: string | null = null,
): string {
  const toks = sqlTokens(sql);
  const own = ownName(toks);
  const after = (k: number) => toks[k - 1]?.kind === 'dot';
  const tableRef = (k: number) => k !== own && namesIt(toks[k], target.table) && !after(k);
  const ownerIsTarget = owner !== null && owner.toLowerCase() === target.table.toLowerCase();
  const qualifiers = new Set([target.table.toLowerCase(), ...(ownerIsTarget ? ['new', 'old'] : [])]);
  toks.forEach((_, k) => {
    if (!tableRef(k) || toks[k + 1]?.kind === 'dot') return;
    const alias = isWord(toks[k + 1], 'AS') ? toks[k + 2] : toks[k + 1];
    if (isName(alias) && !(alias.kind === 'word' && NOT_ALIAS.has(alias.value)))
      qualifiers.add(nameOf(alias).toLowerCase());
  });
  const named = new Set(toks.filter((t, k) => isName(t) && !after(k) && k !== own).map((t) => nameOf(t).toLowerCase()));
  const others = [...named, ...(owner ? [owner.toLowerCase()] : [])].filter((n) => n !== target.table.toLowerCase());
  const elsewhere = (col: string) =>
    others.some((n) => columnsOf(n)?.some((c) => c.toLowerCase() === col.toLowerCase()));

  const ofList: [number, number] = owner !== null ? updateOfColumns(toks) : [0, 0];
  const edits: Token[] = [];
  toks.forEach((t, k) => {
    if (k === own) return;
    if (target.column !== null) {
      if (!namesIt(t, target.column) || toks[k + 1]?.kind === 'dot') return;
      const qualified = after(k);
      const inOfList = k > ofList[0] && k < ofList[1];
      if (
        inOfList
          ? ownerIsTarget
          : qualified
            ? qualifiers.has(nameOf(toks[k - 2]).toLowerCase())
            : !elsewhere(target.column)
      )
        edits.push(t);
      return;
    }
    if (!tableRef(k)) return;
    const prev = toks[k - 1];
    const columnToo = [target.table, ...others].some((n) =>
      columnsOf(n)?.some((c) => c.toLowerCase() === target.table.toLowerCase()),
    );
    const asTable =
      toks[k + 1]?.kind === 'dot' ||
      (prev?.kind === 'word' && TABLE_POSITION.has(prev.value)) ||
      prev?.kind === 'comma';
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
