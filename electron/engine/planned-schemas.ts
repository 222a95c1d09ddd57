/**
 * Records, in plan mode, the simulated schema before and after each node (shared/planned-schema.ts)
 * for the editor's inspector: its table and column choices and the defaults as rendered. Each
 * schema is kept as its change from the one recorded before it: the tables a node's change copied
 * (schemas share the tables they did not change), so recording costs what the nodes changed.
 */
import { columnTypeChoices } from '../../shared/column-type.ts';
import { outlineTable, type OutlineTable, type PlannedSchemas } from '../../shared/planned-schema.ts';
import { tableChange } from '../../shared/schema-names.ts';
import { INTERNAL_TABLES, type Schema, type Table } from '../../shared/schema.ts';
import type { RunSession } from './context.ts';

/** The outline of each table, kept while the table is: unchanged tables are shared by every schema of a plan and by later plans. */
const outlines = new WeakMap<Table, OutlineTable>();

export class PlannedSchemaRecorder {
  private readonly planned: PlannedSchemas;
  private readonly index = new Map<OutlineTable, number>();
  private last: Schema | null = null;
  private first: Schema | null = null;

  /** `live`: the schema the plan starts from as a warm planner keeps it, and the id of its read (PlannedSchemas.live). */
  constructor(
    private readonly session: RunSession,
    private readonly live?: { schema: Schema; read: string },
  ) {
    this.planned = {
      tables: [],
      outlines: [],
      before: {},
      after: {},
      columnTypes: columnTypeChoices(session.db.dialect.capabilities.supportsArrays),
    };
  }

  /** Notes the schema as it stands now as the one node `id` sees `at` (before it runs, after it). */
  async record(id: string, at: 'before' | 'after'): Promise<void> {
    let schema: Schema;
    try {
      schema = await this.session.schema();
    } catch {
      return; // The node's own result says why the schema could not be read.
    }
    if (schema !== this.last) {
      this.planned.outlines.push(this.change(this.last, schema));
      this.first ??= schema;
      this.last = schema;
    }
    this.planned[at][id] = this.planned.outlines.length - 1;
  }

  result(): PlannedSchemas {
    const first = this.planned.outlines[0];
    if (this.live && first && this.first === this.live.schema)
      this.planned.live = { read: this.live.read, tables: first.put.length, omitted: false };
    return this.planned;
  }

  /** `schema` as a change of `base` (the schema recorded before it, or none). */
  private change(base: Schema | null, schema: Schema): PlannedSchemas['outlines'][number] {
    const own = (t: Table) => !INTERNAL_TABLES.includes(t.name);
    if (!base) return { base: -1, drop: [], put: schema.tables.filter(own).map((t) => this.put(t)) };
    const from = this.planned.outlines.length - 1;
    // Only the tables `base` does not hold (copies, new ones) are put: the others are shared. A
    // table gone without another of its name in its place (renamed, dropped) is dropped.
    const { gone, added } = tableChange(schema, base);
    const put = added.filter(own).map((t) => this.put(t));
    const drop = gone.filter((g) => !added.some((t) => t.name === g.name)).map((g) => g.name);
    return { base: from, drop, put };
  }

  /** The index of table `t`'s outline in `tables`, added when new. */
  private put(t: Table): number {
    let outline = outlines.get(t);
    if (!outline) outlines.set(t, (outline = outlineTable(t)));
    let i = this.index.get(outline);
    if (i === undefined) {
      i = this.planned.tables.push(outline) - 1;
      this.index.set(outline, i);
    }
    return i;
  }
}
