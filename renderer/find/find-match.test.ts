import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { findHits } from './find-match.ts';

const { nodes } = parseWorkflow(exampleText('zero-downtime')).workflow;
const brief = (q: string, planned?: Parameters<typeof findHits>[2]) =>
  findHits(nodes, q, planned).map((h) => `${h.nodeId} ${h.field}${h.where ? ` ${h.where}` : ''}: ${h.text}`);

describe('find on the canvas', () => {
  it('finds nodes by id, type, table, column and SQL params, in canvas order', () => {
    expect(brief('PHASE2')).toEqual(['phase2_backfill id: phase2_backfill']);
    expect(brief('backfill')).toEqual(['phase2_backfill id: phase2_backfill']);
    expect(brief('SchemaModification')).toEqual([
      'phase1_add type: SchemaModificationNode',
      'phase3_constraint type: SchemaModificationNode',
    ]);
    expect(brief('orders')).toEqual([
      'phase1_add table table: orders',
      'phase2_backfill table table: orders',
      'phase3_constraint table table: orders',
    ]);
    expect(brief('total_amount')).toEqual([
      'phase1_add column column_name: total_amount',
      'phase2_backfill column update_field: total_amount',
      'phase3_constraint column column_name: total_amount',
    ]);
    expect(brief('tax +')).toEqual(['phase2_backfill sql calculation: subtotal + tax + shipping']);
    expect(brief('  ')).toEqual([]);
  });

  it("searches the planned SQL when the preview's plan is there", () => {
    const planned = (id: string) =>
      id === 'phase1_add'
        ? [{ sql: 'ALTER TABLE "orders" ADD COLUMN "total_amount" numeric(10,2)', comment: 'add the column' }]
        : [];
    expect(brief('numeric(10', planned)).toEqual([
      'phase1_add sql add the column: ALTER TABLE "orders" ADD COLUMN "total_amount" numeric(10,2)',
    ]);
    expect(brief('numeric(10')).toEqual([]);
  });
});
