/**
 * The queries a MonitoringNode times when it captures `query_performance` without `queries`
 * (docs/nodes.md, "MonitoringNode"): the dialect's most expensive statements where it tracks them
 * (`MetricsReader.expensiveStatements`, PostgreSQL's pg_stat_statements), else a representative
 * query per measured table, a primary-key lookup and a count, built here.
 */
import type { QueryChoice } from '../../shared/metrics.ts';
import type { Table } from '../../shared/schema.ts';
import type { Dialect } from './dialect.ts';

/** A query to time and why it was chosen. */
export interface ChosenQuery {
  sql: string;
  chosen_by: QueryChoice;
}

/** The primary key's columns in key order (its constraint's order, else the columns flagged). */
function primaryKey(table: Table): string[] {
  const constraint = table.constraints.find((c) => c.kind === 'primary_key');
  if (constraint && constraint.columns.length > 0) return constraint.columns;
  return table.columns.filter((c) => c.primaryKey).map((c) => c.name);
}

/**
 * A primary-key lookup of the table's first key (when it has a primary key) and a count of its
 * rows: what most applications ask of a table, and what an index or table change slows first.
 */
export function representativeQueries(dialect: Dialect, table: Table): ChosenQuery[] {
  const q = (name: string) => dialect.quoteIdent(name);
  const t = q(table.name);
  const key = primaryKey(table).map(q);
  const out: ChosenQuery[] = [];
  if (key.length === 1) {
    out.push({
      sql: `SELECT * FROM ${t} WHERE ${key[0]} = (SELECT min(${key[0]}) FROM ${t})`,
      chosen_by: 'primary_key_lookup',
    });
  } else if (key.length > 1) {
    const cols = key.join(', ');
    out.push({
      sql: `SELECT * FROM ${t} WHERE (${cols}) = (SELECT ${cols} FROM ${t} ORDER BY ${cols} LIMIT 1)`,
      chosen_by: 'primary_key_lookup',
    });
  }
  out.push({ sql: `SELECT count(*) FROM ${t}`, chosen_by: 'row_count' });
  return out;
}
