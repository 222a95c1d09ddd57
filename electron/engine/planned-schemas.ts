/**
 * Records, in plan mode, the simulated schema before and after each node (shared/planned-schema.ts)
 * for the editor's inspector: its table and column choices and the defaults as rendered.
 */
import { columnTypeChoices } from '../../shared/column-type.ts';
import { outlineOf, type PlannedSchemas } from '../../shared/planned-schema.ts';
import type { Schema } from '../../shared/schema.ts';
import type { RunSession } from './context.ts';

export class PlannedSchemaRecorder {
  private readonly planned: PlannedSchemas;
  private last: Schema | null = null;

  constructor(private readonly session: RunSession) {
    this.planned = {
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
      this.last = schema;
      this.planned.outlines.push(outlineOf(schema));
    }
    this.planned[at][id] = this.planned.outlines.length - 1;
  }

  result(): PlannedSchemas {
    return this.planned;
  }
}
