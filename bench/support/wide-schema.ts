/**
 * A wide schema for the introspection benchmarks and tests: `n` tables of 8 columns, each with a
 * primary key, 2 secondary indexes and 1 foreign key (to the table before it; the first to
 * itself), a view per 100 tables, and a few rows in every 10th table. The same shape on both
 * dialects, written as setup SQL (several statements).
 */
import type { DialectName } from '../../shared/schema.ts';
import type { Workflow } from '../../shared/workflow.ts';

/** The name of table `i` (0-based): `t00000`. */
export const wideTableName = (i: number) => `t${String(i).padStart(5, '0')}`;

/** Setup SQL for tables `from` to `to - 1` (and the views among them). */
export function wideSchemaSql(dialect: DialectName, to: number, from = 0): string {
  const out: string[] = [];
  const time = dialect === 'postgres' ? 'timestamptz DEFAULT now()' : 'text DEFAULT CURRENT_TIMESTAMP';
  for (let i = from; i < to; i++) {
    const t = wideTableName(i);
    const parent = wideTableName(Math.max(0, i - 1));
    out.push(
      `CREATE TABLE ${t} (id bigint PRIMARY KEY, parent_id bigint REFERENCES ${parent} (id) ON DELETE CASCADE, ` +
        `name text NOT NULL, email varchar(255), status varchar(20) DEFAULT 'new', amount numeric(12,2), ` +
        `created_at ${time}, active boolean DEFAULT true)`,
      `CREATE INDEX ${t}_name ON ${t} (name)`,
      `CREATE INDEX ${t}_parent ON ${t} (parent_id, created_at)`,
    );
    if (i % 10 === 0) out.push(`INSERT INTO ${t} (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
    if (i % 100 === 99) out.push(`CREATE VIEW v${t.slice(1)} AS SELECT id, name, status FROM ${t} WHERE active`);
  }
  return out.map((s) => `${s};`).join('\n');
}

/** Fills a PostgreSQL bench database with `tables` wide tables (250 at a time) and analyses it; prints how long it took. */
export async function fillWidePostgres(db: { exec(sql: string): Promise<void> }, tables: number): Promise<void> {
  const t0 = performance.now();
  for (let from = 0; from < tables; from += 250)
    await db.exec(wideSchemaSql('postgres', Math.min(tables, from + 250), from));
  await db.exec('ANALYZE');
  console.log(`PostgreSQL database of ${tables} tables made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * A chain of `nodes` schema changes on the wide tables, each on its own table: even nodes add a
 * column `tier_<i>`, odd ones index its `email`; `suffix(i)` is appended to what node `i` adds.
 * Laid out `perRow` cards a row.
 */
export function wideChainWorkflow(
  name: string,
  nodes: number,
  tables: number,
  perRow: number,
  suffix: (i: number) => string = () => '',
): Workflow {
  const list: Workflow['nodes'] = [];
  for (let i = 0; i < nodes; i++) {
    const table = wideTableName((i * 23) % tables);
    list.push({
      id: `n${i}`,
      type: 'SchemaModificationNode',
      params:
        i % 2 === 0
          ? { operation: 'add_column', table, column_name: `tier_${i}${suffix(i)}`, column_type: 'text' }
          : { operation: 'create_index', table, index_name: `${table}_email_${i}${suffix(i)}`, columns: ['email'] },
      position: { x: (i % perRow) * 300, y: Math.floor(i / perRow) * 150 },
    });
  }
  const connections = list
    .slice(1)
    .map((n, i) => ({ source: list[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return { format: 'dataflow-workflow', version: 1, name, description: '', nodes: list, connections };
}
