/** A schema change as one line of text (`+ column users.phone varchar(20)`): the CLI's summaries, the drift report. */
import type { Change } from './diff-types.ts';

/** One line per change: `+` added, `-` dropped, `~` changed, then what and where. */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'table_added':
      return `+ table ${c.table}`;
    case 'table_dropped':
      return `- table ${c.table}`;
    case 'column_added':
      return `+ column ${c.table}.${c.column} ${c.after.type}${c.after.nullable ? '' : ' NOT NULL'}${c.after.default === null ? '' : ` DEFAULT ${c.after.default}`}`;
    case 'column_dropped':
      return `- column ${c.table}.${c.column}`;
    case 'column_changed':
      return `~ column ${c.table}.${c.column} (${c.fields.map((f) => `${f}: ${String(c.before[f])} -> ${String(c.after[f])}`).join(', ')})`;
    case 'index_added':
      return `+ index ${c.index} on ${c.table}`;
    case 'index_dropped':
      return `- index ${c.index} on ${c.table}`;
    case 'index_changed':
      return `~ index ${c.index} on ${c.table}`;
    case 'constraint_added':
      return `+ constraint ${c.constraint} (${c.after.kind}) on ${c.table}`;
    case 'constraint_dropped':
      return `- constraint ${c.constraint} on ${c.table}`;
    case 'constraint_changed':
      return `~ constraint ${c.constraint} on ${c.table}`;
    case 'view_added':
      return `+ view ${c.view}`;
    case 'view_dropped':
      return `- view ${c.view}`;
    case 'view_changed':
      return `~ view ${c.view}`;
    case 'trigger_added':
      return `+ trigger ${c.trigger} on ${c.table}`;
    case 'trigger_dropped':
      return `- trigger ${c.trigger} on ${c.table}`;
    case 'trigger_changed':
      return `~ trigger ${c.trigger} on ${c.table}`;
  }
}
