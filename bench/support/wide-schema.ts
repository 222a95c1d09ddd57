/**
 * A wide schema for the introspection benchmarks and tests: `n` tables of 8 columns, each with a
 * primary key, 2 secondary indexes and 1 foreign key (to the table before it; the first to
 * itself), a view per 100 tables, and a few rows in every 10th table. The same shape on both
 * dialects, written as setup SQL (several statements).
 */
import type { DialectName } from '../../shared/schema.ts';

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
