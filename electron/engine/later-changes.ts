/**
 * The SchemaModificationNodes that follow a node in a run (SchemaPlanOptions.later in
 * electron/db/dialect.ts): in the run's order, enabled ones, their params parsed with defaults
 * filled. A node with a `:reference` param is left out, as is one whose params do not parse:
 * what they do is known only when they run. Read once per run, when first asked for.
 */
import { isReference } from '../../shared/nodes/index.ts';
import { schemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { LaterChange } from '../db/dialect.ts';

export class LaterChanges {
  private changes: (LaterChange & { at: number })[] | null = null;

  /** `order`: the run's order of the node ids. */
  constructor(
    private readonly workflow: Workflow,
    private readonly order: readonly string[],
  ) {}

  /** The changes after node `id`, in the order the run makes them. */
  after(id: string): LaterChange[] {
    const at = this.order.indexOf(id);
    this.changes ??= this.read();
    return this.changes.filter((c) => c.at > at).map(({ node, params }) => ({ node, params }));
  }

  private read(): (LaterChange & { at: number })[] {
    const byId = new Map(this.workflow.nodes.map((n) => [n.id, n]));
    return this.order.flatMap((id, at) => {
      const n = byId.get(id);
      if (!n || n.type !== 'SchemaModificationNode' || n.disabled || Object.values(n.params).some(isReference))
        return [];
      const parsed = schemaModificationParams.safeParse(n.params);
      return parsed.success ? [{ node: id, params: parsed.data, at }] : [];
    });
  }
}
