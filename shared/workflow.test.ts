import { describe, expect, it } from 'vitest';
import {
  executionOrder,
  formatProblem,
  parseWorkflow,
  serializeWorkflow,
  validateParams,
  validateWorkflow,
  WorkflowError,
  workflowSchema,
  type WorkflowProblem,
} from './workflow.ts';

type RawNode = { id: string; type: string; params: Record<string, unknown>; disabled?: boolean };
type RawConnection = { source: string; sourceOutput: string; target: string; targetInput: string };

const wf = (nodes: RawNode[], connections: RawConnection[] = []) => ({
  format: 'dataflow-workflow',
  version: 1,
  name: 'test',
  nodes,
  connections,
});
const node = (id: string, type: string, params: Record<string, unknown>): RawNode => ({ id, type, params });
const link = (source: string, target: string, sourceOutput = 'result', targetInput = 'input'): RawConnection => ({
  source,
  sourceOutput,
  target,
  targetInput,
});
const code = (id: string) => node(id, 'PythonCodeNode', { code: 'result = 1' });

/** The problems parseWorkflow throws for a raw workflow (empty when it parses). */
function problems(raw: unknown): WorkflowProblem[] {
  try {
    parseWorkflow(JSON.stringify(raw));
    return [];
  } catch (e) {
    if (e instanceof WorkflowError) return e.problems;
    throw e;
  }
}

const addColumn = (id: string, table: string, column: string, type: string) =>
  node(id, 'SchemaModificationNode', {
    table,
    operation: 'add_column',
    column_name: column,
    column_type: type,
    nullable: true,
  });

describe('parseWorkflow', () => {
  it("parses the guide's basic migration tracking and fills defaults", () => {
    const { workflow, warnings } = parseWorkflow(
      JSON.stringify(
        wf(
          [
            node('track_migration', 'MigrationNode', { migration_name: 'add_user_phone_number', status: 'pending' }),
            addColumn('apply_change', 'users', 'phone_number', 'varchar(20)'),
            node('complete_migration', 'MigrationNode', {
              migration_name: 'add_user_phone_number',
              status: 'completed',
            }),
          ],
          [link('track_migration', 'apply_change'), link('apply_change', 'complete_migration')],
        ),
      ),
    );
    expect(warnings).toEqual([]);
    expect(workflow.description).toBe('');
    expect(workflow.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    expect(executionOrder(workflow)).toEqual(['track_migration', 'apply_change', 'complete_migration']);
    expect(parseWorkflow(serializeWorkflow(workflow)).workflow).toEqual(workflow);
  });

  it('rejects text that is not JSON or not a workflow', () => {
    expect(() => parseWorkflow('{')).toThrow(/not valid JSON/);
    expect(problems({ format: 'dataflow-workflow', version: 2, nodes: [] })).toMatchObject([{ field: 'version' }]);
    expect(problems({ format: 'other', version: 1, nodes: [] })).toMatchObject([{ field: 'format' }]);
    expect(problems(wf([{ id: '1bad', type: 'PythonCodeNode', params: { code: 'x' } }]))).toMatchObject([
      { node: '1bad', field: 'nodes.0.id' },
    ]);
    expect(problems({ ...wf([code('a')]), extra: true })).toMatchObject([
      { message: expect.stringContaining('extra') },
    ]);
  });

  it('names node and field: unknown type, unknown param, missing param, bad identifier', () => {
    expect(problems(wf([node('a', 'FooNode', {})]))).toEqual([
      { node: 'a', field: 'type', severity: 'error', message: 'unknown node type "FooNode"' },
    ]);
    expect(
      problems(
        wf([
          node('a', 'SchemaModificationNode', {
            table: 'users',
            operation: 'drop_column',
            column_name: 'x',
            colum_type: 'text',
          }),
        ]),
      ),
    ).toEqual([
      {
        node: 'a',
        field: 'colum_type',
        severity: 'error',
        message: 'unknown param(s) "colum_type" for SchemaModificationNode',
      },
    ]);
    expect(problems(wf([node('a', 'SchemaModificationNode', { operation: 'drop_column', column_name: 'x' })]))).toEqual(
      [{ node: 'a', field: 'table', label: 'Table', severity: 'error', message: 'is required' }],
    );
    expect(
      problems(
        wf([node('a', 'SchemaModificationNode', { table: 'users', operation: 'add_column', column_name: 'x' })]),
      ),
    ).toEqual([
      {
        node: 'a',
        field: 'column_type',
        label: 'Type',
        severity: 'error',
        message: 'is required for operation add_column',
      },
    ]);
    const bad = problems(
      wf([node('a', 'SchemaModificationNode', { table: 'users; DROP TABLE x', operation: 'drop_table' })]),
    );
    expect(bad).toMatchObject([
      { node: 'a', field: 'table', message: expect.stringContaining('must be an identifier') },
    ]);
    expect(formatProblem(bad[0]!)).toMatch(/^node "a", field "table" \(Table\): must be an identifier/);
  });

  it('names the node of a ValidationNode without checks and the check fields by their inspector labels', () => {
    const found = problems(wf([node('verify', 'ValidationNode', { table: 'users' })]));
    expect(found).toEqual([
      {
        node: 'verify',
        severity: 'error',
        message:
          'has no check to run: tick Table exists, Column exists, No NULLs or No duplicates, or fill Column type is, Row count or Query (no rows = pass)',
      },
    ]);
    expect(formatProblem(found[0]!)).toMatch(/^node "verify": has no check to run: tick Table exists/);
  });

  it('leaves ":name" references to run time', () => {
    expect(
      validateParams(node('a', 'SchemaModificationNode', { table: ':target_table', operation: 'drop_table' })),
    ).toEqual([]);
    expect(
      validateParams(node('s', 'SwitchNode', { input: ':migration_status', cases: { pending: 'apply' } })),
    ).toEqual([]);
  });

  it('names the connection: missing source or target, duplicate, self-loop', () => {
    expect(problems(wf([code('a')], [link('a', 'b')]))).toEqual([
      {
        node: 'b',
        field: 'connections[0].target',
        severity: 'error',
        message: 'connection to node "b", which does not exist',
      },
    ]);
    expect(problems(wf([code('a')], [link('source', 'a')]))).toMatchObject([
      { node: 'source', field: 'connections[0].source' },
    ]);
    expect(problems(wf([code('a'), code('b')], [link('a', 'b'), link('a', 'b')]))).toEqual([
      { node: 'b', field: 'connections[1]', severity: 'error', message: 'duplicate connection a.result->b.input' },
    ]);
    expect(problems(wf([code('a')], [link('a', 'a')]))).toEqual([
      { node: 'a', field: 'connections[0]', severity: 'error', message: 'a node cannot connect to itself' },
    ]);
    expect(problems(wf([code('a'), code('a')]))).toMatchObject([
      { node: 'a', field: 'id', message: expect.stringContaining('duplicate node id') },
    ]);
  });

  it('reports the guide\'s faulty "source" -> "target" connection of the Migration Workflow Pattern', () => {
    const found = problems(
      wf(
        [
          node('check_migration', 'MigrationNode', { migration_name: 'user_table_v2', action: 'check_status' }),
          node('migration_decision', 'SwitchNode', {
            input: ':migration_status',
            cases: { pending: 'apply_migration', completed: 'skip_migration' },
          }),
          addColumn('apply_migration', 'users', 'last_login', 'timestamp'),
          node('update_status', 'MigrationNode', { migration_name: 'user_table_v2', status: 'completed' }),
          node('skip_migration', 'PythonCodeNode', { code: "result = {'message': 'Migration already applied'}" }),
        ],
        [
          link('source', 'target'),
          link('migration_decision', 'apply_migration'),
          link('migration_decision', 'skip_migration'),
          link('apply_migration', 'update_status'),
        ],
      ),
    );
    expect(found.map((p) => [p.node, p.field])).toEqual([
      ['source', 'connections[0].source'],
      ['target', 'connections[0].target'],
      // The switch reads ":migration_status", and the guide draws no connection into it.
      ['migration_decision', 'input'],
    ]);
  });

  it('finds cycles through connections and through Switch routes, naming where to cut', () => {
    expect(problems(wf([code('a'), code('b'), code('c')], [link('a', 'b'), link('b', 'c'), link('c', 'a')]))).toEqual([
      {
        node: 'c',
        field: 'connections[2]',
        severity: 'error',
        message: 'the workflow has a cycle through a -> b -> c -> a; remove one of its connections',
      },
    ]);
    const viaSwitch = problems(
      wf([node('s', 'SwitchNode', { input: ':x', cases: { go: 'b' } }), code('b')], [link('b', 's')]),
    );
    expect(viaSwitch).toEqual([
      {
        node: 'b',
        field: 'connections[0]',
        severity: 'error',
        message: 'the workflow has a cycle through s -> b -> s; remove one of its connections',
      },
    ]);
    const closedByRoute = problems(
      wf([code('b'), node('s', 'SwitchNode', { input: ':x', cases: { go: 'b' } })], [link('b', 's')]),
    );
    expect(closedByRoute).toEqual([
      {
        node: 's',
        field: 'cases.go',
        label: 'Cases',
        severity: 'error',
        message: 'the workflow has a cycle through b -> s -> b; remove one of its connections',
      },
    ]);
    const viaDefault = problems(
      wf(
        [code('b'), node('s', 'SwitchNode', { input: ':x', cases: { go: 'c' }, default: 'b' }), code('c')],
        [link('b', 's')],
      ),
    );
    expect(viaDefault).toMatchObject([{ node: 's', field: 'default' }]);
  });

  it('reports a ":name" param of a node that no connection feeds, naming node and field; not when fed or disabled', () => {
    const sw = node('s', 'SwitchNode', { input: ':migration_status', cases: { pending: 'b' } });
    expect(problems(wf([code('a'), sw, code('b')]))).toEqual([
      {
        node: 's',
        field: 'input',
        label: 'Input',
        severity: 'error',
        message:
          'Input reads ":migration_status" from its input, but no connection feeds this node, so the run would fail here; connect the node that outputs migration_status to this node\'s input',
      },
    ]);
    expect(problems(wf([code('a'), sw, code('b')], [link('a', 's')]))).toEqual([]);
    expect(problems(wf([code('a'), { ...sw, disabled: true }, code('b')]))).toEqual([]);
  });

  it('checks Switch routes and compare_with targets', () => {
    const fed = [link('in', 's')];
    expect(problems(wf([code('in'), node('s', 'SwitchNode', { input: ':x', cases: { a: 'nope' } })], fed))).toEqual([
      {
        node: 's',
        field: 'cases.a',
        label: 'Cases',
        severity: 'error',
        message: 'routes to node "nope", which does not exist',
      },
    ]);
    expect(problems(wf([code('in'), node('s', 'SwitchNode', { input: ':x', cases: { a: 's' } })], fed))).toMatchObject([
      { node: 's', field: 'cases.a', message: 'a switch cannot route to itself' },
    ]);
    expect(
      problems(
        wf([code('in'), node('s', 'SwitchNode', { input: ':x', cases: { a: 'apply-now' } }), code('apply-now')], fed),
      ),
    ).toEqual([]);
    expect(
      problems(wf([node('m', 'MonitoringNode', { capture_metrics: ['row_count'], compare_with: 'b' }), code('b')])),
    ).toMatchObject([{ node: 'm', field: 'compare_with' }]);
  });
});

describe('executionOrder', () => {
  it("runs the guide's Handle Rollbacks nodes (fed as in the example) in file order, routes after their switch", () => {
    const { workflow } = parseWorkflow(
      JSON.stringify(
        wf(
          [
            node('check_rollback', 'MigrationNode', {
              migration_name: 'add_preferences',
              action: 'check_rollback_needed',
            }),
            node('rollback_decision', 'SwitchNode', {
              input: ':needs_rollback',
              cases: { true: 'rollback_migration', false: 'proceed_migration' },
            }),
            node('rollback_migration', 'SchemaModificationNode', {
              table: 'users',
              operation: 'drop_column',
              column_name: 'preferences',
            }),
            node('proceed_migration', 'SchemaModificationNode', {
              table: 'users',
              operation: 'add_column',
              column_name: 'preferences',
              column_type: 'jsonb',
            }),
          ],
          [link('check_rollback', 'rollback_decision')],
        ),
      ),
    );
    expect(executionOrder(workflow)).toEqual([
      'check_rollback',
      'rollback_decision',
      'rollback_migration',
      'proceed_migration',
    ]);
  });

  it("runs the guide's unconnected Test Migrations nodes in file order", () => {
    const { workflow } = parseWorkflow(
      JSON.stringify(
        wf([
          node('test_migration', 'TransactionScopeNode', { rollback_on_error: true }),
          node('test_change', 'SchemaModificationNode', {
            table: 'test_users',
            operation: 'add_column',
            column_name: 'test_field',
            column_type: 'varchar(50)',
          }),
          node('verify', 'ValidationNode', { check_column_exists: true, table: 'test_users', column: 'test_field' }),
        ]),
      ),
    );
    expect(executionOrder(workflow)).toEqual(['test_migration', 'test_change', 'verify']);
  });

  it('is topological first, then file order among the nodes nothing orders', () => {
    const w = workflowSchema.parse(
      wf([code('d'), code('c'), code('b'), code('a'), code('e')], [link('a', 'c'), link('b', 'd')]),
    );
    expect(executionOrder(w)).toEqual(['b', 'd', 'a', 'c', 'e']);
    const sw = workflowSchema.parse(wf([code('x'), node('s', 'SwitchNode', { input: 1, cases: { 1: 'x' } })]));
    expect(executionOrder(sw)).toEqual(['s', 'x']);
    const cyc = workflowSchema.parse(wf([code('a'), code('b')], [link('a', 'b'), link('b', 'a')]));
    expect(executionOrder(cyc)).toBeNull();
    expect(validateWorkflow(cyc)).toHaveLength(1);
  });
});

describe('notes, groups and disabled nodes in the file', () => {
  const base = () => wf([code('a'), code('b')], [link('a', 'b')]);

  it('opens a file written before them unchanged, and writes no keys for them', () => {
    const text = JSON.stringify(base());
    const { workflow } = parseWorkflow(text);
    expect(workflow.notes).toBeUndefined();
    expect(workflow.groups).toBeUndefined();
    expect(workflow.nodes[0]!.disabled).toBeUndefined();
    const written = serializeWorkflow(workflow);
    expect(written).not.toMatch(/"notes"|"groups"|"disabled"/);
  });

  it('keeps notes, groups and disabled flags through a save', () => {
    const raw = {
      ...base(),
      nodes: [{ ...code('a'), disabled: true }, code('b')],
      notes: [{ id: 'n1', text: '# Why\n**two** steps', position: { x: 10, y: 20 }, color: 'yellow' }],
      groups: [{ id: 'g1', name: 'Phase 1', nodes: ['a', 'b'], collapsed: true }],
    };
    const { workflow } = parseWorkflow(JSON.stringify(raw));
    expect(JSON.parse(serializeWorkflow(workflow))).toMatchObject(raw);
  });

  it('names a group member that does not exist, and a node in two groups', () => {
    const raw = {
      ...base(),
      groups: [
        { id: 'g1', name: 'Phase 1', nodes: ['a', 'ghost'] },
        { id: 'g2', name: 'Phase 2', nodes: ['a'] },
      ],
    };
    expect(problems(raw).map(formatProblem)).toEqual([
      'node "ghost", field "groups[0].nodes[1]": group "Phase 1" lists node "ghost", which does not exist; remove it from the group',
      'node "a", field "groups[1].nodes[0]": node "a" is in two groups ("Phase 1" and "Phase 2"); a node belongs to one group at most',
    ]);
  });

  it('refuses duplicate group or note ids and unknown keys in them', () => {
    const note = { id: 'n', text: '', position: { x: 0, y: 0 } };
    expect(problems({ ...base(), notes: [note, note] }).map(formatProblem)).toEqual([
      'field "notes[1].id": duplicate note id "n"; give each its own id',
    ]);
    expect(problems({ ...base(), notes: [{ ...note, html: '<b>' }] })[0]?.field).toBe('notes.0');
  });
});

describe('characters no database stores', () => {
  it('refuses NUL in a param, a key or the workflow name, naming the field and the position', () => {
    const wf = (params: Record<string, unknown>, name = 'w') =>
      workflowSchema.parse({
        format: 'dataflow-workflow',
        version: 1,
        name,
        nodes: [{ id: 'a', type: 'MigrationNode', params }],
      });
    expect(validateWorkflow(wf({ migration_name: 'm', status: 'pending', metadata: { 'k\u0000': 1 } }))).toEqual([
      {
        node: 'a',
        field: 'metadata.k\u0000',
        label: 'Metadata',
        severity: 'error',
        message:
          'holds a NUL character (\\0) at character 2, which no database stores in text (PostgreSQL refuses it, SQLite cuts the text there); remove it',
      },
    ]);
    expect(validateWorkflow(wf({ migration_name: 'ab\u0000', status: 'pending' }))).toMatchObject([
      { node: 'a', field: 'migration_name', label: 'Migration', message: expect.stringContaining('at character 3') },
    ]);
    expect(validateWorkflow(wf({ migration_name: 'm', status: 'pending' }, 'x\u0000'))).toMatchObject([
      { field: 'name', message: expect.stringContaining('NUL character') },
    ]);
  });
});
