import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow, workflowSchema } from '../../shared/workflow.ts';
import type { Schema } from '../../shared/schema.ts';
import { exampleLine, userTables, workflowForTable } from './start-lines.ts';

describe('the start screen', () => {
  it("says in one line what an example does: the guide's section and its nodes' summaries", () => {
    const line = exampleLine(parseWorkflow(exampleText('zero-downtime')).workflow);
    expect(line).toBe(
      'Production Considerations · orders.total_amount decimal(10,2) → orders.total_amount = subtotal + tax + shipping → orders.total_amount NOT NULL',
    );
  });

  it("lists the user's tables without the product's own", () => {
    const table = (name: string) => ({ name, columns: [], indexes: [], constraints: [], rowCount: 0 });
    const schema = { tables: [table('users'), table('dataflow_migrations'), table('orders')] } as unknown as Schema;
    expect(userTables(schema)).toEqual(['orders', 'users']);
    expect(userTables(null)).toEqual([]);
  });

  it('starts a workflow on a table: a check that it is there, then a change on it', () => {
    const wf = workflowSchema.parse(workflowForTable('order items', 'Demo database'));
    expect(wf.nodes.map((n) => [n.id, n.type, n.params.table])).toEqual([
      ['check_order_items', 'ValidationNode', 'order items'],
      ['change_order_items', 'SchemaModificationNode', 'order items'],
    ]);
    expect(wf.connections).toHaveLength(1);
  });
});
