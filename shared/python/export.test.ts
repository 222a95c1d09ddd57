/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import guide from '../../assets/guide/schema-management.md?raw';
import { NODE_TYPES } from '../nodes/index.ts';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow } from '../workflow.ts';
import { exportPython } from './export.ts';
import { pythonBlocks } from './guide-blocks.ts';
import { importPython } from './parse.ts';

const workflow = (nodes: Workflow['nodes'], connections: Workflow['connections'] = [], name = 'w'): Workflow => ({
  format: WORKFLOW_FORMAT,
  version: WORKFLOW_VERSION,
  name,
  description: '',
  nodes,
  connections,
});

describe('exportPython', () => {
  it('writes the guide style: imports, builder, add_node with a 4-space dict, add_connection, runtime', () => {
    const wf = workflow(
      [
        {
          id: 'track',
          type: 'MigrationNode',
          params: { migration_name: 'm', status: 'pending' },
          position: { x: 0, y: 0 },
        },
        {
          id: 'add',
          type: 'SchemaModificationNode',
          params: {
            table: 'users',
            operation: 'add_column',
            column_name: 'phone',
            column_type: 'varchar(20)',
            nullable: true,
            default_value: null,
          },
          position: { x: 0, y: 0 },
        },
        {
          id: 'metrics',
          type: 'MonitoringNode',
          params: { capture_metrics: ['table_size', 'row_count'], compare_with: 'x' },
          position: { x: 0, y: 0 },
        },
        {
          id: 'code',
          type: 'PythonCodeNode',
          params: { code: 'x = "a"\nresult = {"n": x}\n' },
          position: { x: 0, y: 0 },
        },
        { id: 'empty', type: 'TransactionScopeNode', params: {}, position: { x: 0, y: 0 } },
      ],
      [{ source: 'track', sourceOutput: 'result', target: 'add', targetInput: 'input' }],
      'add_phone',
    );
    expect(exportPython(wf)).toBe(`# add_phone

from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

workflow = WorkflowBuilder()

workflow.add_node("MigrationNode", "track", {
    "migration_name": "m",
    "status": "pending",
})

workflow.add_node("SchemaModificationNode", "add", {
    "table": "users",
    "operation": "add_column",
    "column_name": "phone",
    "column_type": "varchar(20)",
    "nullable": True,
    "default_value": None,
})

workflow.add_node("MonitoringNode", "metrics", {
    "capture_metrics": ["table_size", "row_count"],
    "compare_with": "x",
})

workflow.add_node("PythonCodeNode", "code", {
    "code": """\\
x = "a"
result = {"n": x}
""",
})

workflow.add_node("TransactionScopeNode", "empty", {})

workflow.add_connection("track", "result", "add", "input")

runtime = LocalRuntime()
results, run_id = runtime.execute(workflow.build(name="add_phone"))
`);
  });

  it('round-trips every guide block that imports cleanly', () => {
    for (const block of pythonBlocks(guide)) {
      const first = importPython(block.code, { lenient: true });
      if (first.workflow.nodes.length === 0) continue;
      const again = importPython(exportPython(first.workflow), { lenient: true });
      expect(
        again.workflow.nodes.map(({ id, type, params }) => ({ id, type, params })),
        block.heading,
      ).toEqual(first.workflow.nodes.map(({ id, type, params }) => ({ id, type, params })));
      expect(again.workflow.connections, block.heading).toEqual(first.workflow.connections);
    }
  });

  it('round-trips identity columns (create_table columns, add_column) as Python True', () => {
    const wf = workflow([
      {
        id: 'create',
        type: 'SchemaModificationNode',
        params: {
          table: 'customers',
          operation: 'create_table',
          columns: [
            { name: 'id', type: 'bigserial', primary_key: true },
            { name: 'code', type: 'integer', identity: true, primary_key: false },
          ],
        },
        position: { x: 0, y: 0 },
      },
      {
        id: 'add',
        type: 'SchemaModificationNode',
        params: { table: 'legacy', operation: 'add_column', column_name: 'id', column_type: 'integer', identity: true },
        position: { x: 0, y: 0 },
      },
    ]);
    const python = exportPython(wf);
    expect(python).toContain('"identity": True');
    expect(python).toContain('"type": "bigserial"');
    const back = importPython(python);
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(back.workflow.nodes.map((n) => n.params)).toEqual(wf.nodes.map((n) => n.params));
  });

  it('refuses numbers Python literals cannot hold', () => {
    expect(() =>
      exportPython(
        workflow([{ id: 'a', type: 'PythonCodeNode', params: { n: Number.NaN }, position: { x: 0, y: 0 } }]),
      ),
    ).toThrow(/finite numbers/);
  });
});

const tricky = fc.constantFrom(
  '"',
  "'",
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '"""',
  "'''",
  '\\n',
  'é',
  '😀',
  '\u2028',
  '\u0000',
  '\u007f',
  '\ufeff',
  '\ud800',
  '\udfff',
  '{',
  '}',
  '#',
  ' ',
  'a',
  '\\\n',
  '__proto__',
);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: tricky, maxLength: 8 }));
const key = fc.oneof(text, fc.constant('__proto__'));
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.maxSafeInteger(),
  // A whole double beyond 2^53 written without an exponent reads back as its exact BigInt, as from a file.
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((d) => (Number.isInteger(d) && !Number.isSafeInteger(d) && Math.abs(d) < 1e21 ? BigInt(d) : d)),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).filter((b) => b > 2n ** 53n || b < -(2n ** 53n)),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));
const nodeId = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,15}$/);
const portName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);

const workflows = fc
  .uniqueArray(nodeId, { minLength: 1, maxLength: 6 })
  .chain((ids) =>
    fc.record({
      name: text,
      description: text,
      nodes: fc.tuple(
        ...ids.map((id) =>
          fc.record({
            id: fc.constant(id),
            type: fc.constantFrom(...NODE_TYPES.map((d) => d.type)),
            params: fc.dictionary(key, value, { maxKeys: 5 }),
          }),
        ),
      ),
      connections: fc.uniqueArray(
        fc.record({
          a: fc.nat(ids.length - 1),
          b: fc.nat(ids.length - 1),
          sourceOutput: fc.oneof(portName, fc.constant('result.rows')),
          targetInput: portName,
        }),
        {
          maxLength: 6,
          selector: (c) => `${Math.min(c.a, c.b)}.${c.sourceOutput}->${Math.max(c.a, c.b)}.${c.targetInput}`,
        },
      ),
    }),
  )
  .map(({ name, description, nodes, connections }): Workflow => ({
    ...workflow(
      nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })),
      connections
        .filter((c) => c.a !== c.b)
        .map((c) => ({
          source: nodes[Math.min(c.a, c.b)]!.id,
          sourceOutput: c.sourceOutput,
          target: nodes[Math.max(c.a, c.b)]!.id,
          targetInput: c.targetInput,
        })),
      name,
    ),
    description,
  }));

describe('export then import', () => {
  it('gives back the same nodes, params and connections (property)', () => {
    fc.assert(
      fc.property(workflows, (wf) => {
        const python = exportPython(wf);
        const back = importPython(python, { lenient: true, validate: false });
        expect(back.problems.filter((p) => p.kind !== 'workflow')).toEqual([]);
        expect([back.workflow.name, back.workflow.description]).toEqual([wf.name || 'untitled', wf.description]);
        expect(back.workflow.nodes.map(({ id, type, params }) => ({ id, type, params }))).toEqual(
          wf.nodes.map(({ id, type, params }) => ({ id, type, params })),
        );
        expect(back.workflow.connections).toEqual(wf.connections);
      }),
      { numRuns: 100 },
    );
  });
});

describe('exportPython: what the editor adds', () => {
  const n = (id: string, disabled?: boolean): Workflow['nodes'][number] => ({
    id,
    type: 'PythonCodeNode',
    params: { code: 'result = 1' },
    position: { x: 0, y: 0 },
    ...(disabled ? { disabled } : {}),
  });
  const link = (source: string, target: string) => ({ source, sourceOutput: 'result', target, targetInput: 'input' });

  it('comments out a disabled node and the connections that touch it; the import skips them', () => {
    const code = exportPython(
      workflow([n('a'), n('b', true), n('c')], [link('a', 'b'), link('b', 'c'), link('a', 'c')]),
    );
    expect(code).toContain('# Disabled in the editor:\n# workflow.add_node("PythonCodeNode", "b"');
    expect(code).toContain('# workflow.add_connection("a", "result", "b", "input")  # touches a disabled node');
    expect(code).toContain('\nworkflow.add_connection("a", "result", "c", "input")');
    const back = importPython(code);
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(back.workflow.nodes.map((x) => x.id)).toEqual(['a', 'c']);
    expect(back.workflow.connections).toEqual([link('a', 'c')]);
  });

  it('names the sticky notes and groups in a comment and writes nothing else for them', () => {
    const wf: Workflow = {
      ...workflow([n('a')]),
      notes: [{ id: 'n1', text: 'why', position: { x: 0, y: 0 } }],
      groups: [{ id: 'g1', name: 'G', nodes: ['a'] }],
    };
    const code = exportPython(wf);
    expect(code).toContain("# The editor's 1 sticky note and 1 group are not part of the Python workflow.");
    expect(code).not.toMatch(/why|"G"/);
  });
});
