/**
 * The benchmark's workflow: `n` nodes of every type in a grid, `n` edges (a chain plus skips), no
 * cycle; a group of the first 8 nodes of every other row, and a row of sticky notes above the grid
 * (the editor draws them; bare React Flow gets the nodes and edges only).
 */
import {
  WORKFLOW_FORMAT,
  WORKFLOW_VERSION,
  type Connection,
  type Group,
  type Note,
  type Workflow,
  type WorkflowNode,
} from '../../shared/workflow.ts';

const SAMPLES: [string, Record<string, unknown>][] = [
  [
    'SchemaModificationNode',
    {
      table: 'orders',
      operation: 'add_column',
      column_name: 'processing_status',
      column_type: 'varchar(50)',
      nullable: false,
      default_value: 'pending',
    },
  ],
  [
    'DataBackfillNode',
    { table: 'orders', update_field: 'total_amount', calculation: 'subtotal + tax + shipping', batch_size: 1000 },
  ],
  ['MigrationNode', { migration_name: 'user_table_v2', status: 'pending' }],
  ['ValidationNode', { check_column_exists: true, table: 'users', column: 'last_login' }],
  ['MonitoringNode', { capture_metrics: ['table_size', 'row_count'] }],
  ['PythonCodeNode', { code: "result = {'message': 'ok'}" }],
];

export const GRID_X = 300;
export const GRID_Y = 180;

export function benchWorkflow(n: number): Workflow {
  const cols = Math.ceil(Math.sqrt(n));
  const nodes: WorkflowNode[] = Array.from({ length: n }, (_, i) => {
    const [type, params] = SAMPLES[i % SAMPLES.length]!;
    return {
      id: `n${i}`,
      type,
      params: { ...params },
      position: { x: (i % cols) * GRID_X, y: Math.floor(i / cols) * GRID_Y },
    };
  });
  const connections: Connection[] = [];
  for (let i = 0; i + 1 < n; i++)
    connections.push({ source: `n${i}`, sourceOutput: 'result', target: `n${i + 1}`, targetInput: 'input' });
  for (let i = 0; connections.length < n && i + 2 < n; i += 7)
    connections.push({ source: `n${i}`, sourceOutput: 'result', target: `n${i + 2}`, targetInput: 'input' });
  const rows = Math.ceil(n / cols);
  const groups: Group[] = [];
  for (let r = 0; r < rows; r += 2) {
    const members = nodes.slice(r * cols, r * cols + Math.min(8, cols)).map((m) => m.id);
    if (members.length > 0) groups.push({ id: `g${r}`, name: `Phase ${r / 2 + 1}`, nodes: members });
  }
  const notes: Note[] = Array.from({ length: Math.ceil(cols / 2) }, (_, k) => ({
    id: `note${k}`,
    text: `## Step ${k + 1}\n\nRun **after** the backfill; check \`orders.total_amount\` first.\n\n- rehearse\n- apply`,
    position: { x: k * 2 * GRID_X, y: -GRID_Y - 60 },
  }));
  return {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    name: `bench_${n}`,
    description: '',
    nodes,
    connections,
    groups,
    notes,
  };
}
