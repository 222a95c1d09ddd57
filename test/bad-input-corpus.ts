/**
 * The bad-input corpus: hostile workflow files generated from the node catalogue
 * (shared/nodes/). Every param of every node type gets the wrong values of its kind (wrong
 * types, empty, too long, control characters including NUL, Unicode oddities, injection attempts,
 * a ":" reference where none can be), every required param goes missing, and the workflow's
 * structure breaks (unknown node types, unknown params, dangling connections, cycles, duplicate
 * ids, bad JSON). Each case says which node and which field the refusal must name.
 * test/bad-input-corpus.test.ts runs them through `dataflow validate`, `plan` and `run`.
 */
import * as z from 'zod';
import { NODE_TYPES, paramShape, type NodeDescription } from '../shared/nodes/index.ts';
import { stringifyJson } from '../shared/json-text.ts';

/** The tables every case's database starts with (users, orders, an index and rows). */
export const CORPUS_SETUP = `
  CREATE TABLE users (id integer PRIMARY KEY, name varchar(100), email varchar(200) DEFAULT 'none');
  CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, total integer);
  CREATE INDEX orders_user_idx ON orders (user_id);
  INSERT INTO users (id, name, email) VALUES (1, 'ada', 'ada@example.com'), (2, 'bob', NULL);
  INSERT INTO orders (id, user_id, total) VALUES (1, 1, 10), (2, 2, 20), (3, 1, 30);`;

export interface BadInputCase {
  /** Unique, readable: `SchemaModificationNode add_column column_name: NUL`. */
  name: string;
  /** The workflow file's text. */
  text: string;
  /** The node id the refusal names, as written in the file. */
  node?: string;
  /** What the refusal names the field by: its form label, or the file's key where the form has none. */
  field?: string;
  /** A text the message must hold besides (for cases with neither node nor field: bad JSON). */
  says?: string;
}

type Params = Record<string, unknown>;

/** A valid node of each type (and operation), the one param of the case changed in it. */
const BASES: { type: string; id: string; params: Params }[] = [
  {
    type: 'SchemaModificationNode',
    id: 'add_col',
    params: {
      table: 'users',
      operation: 'add_column',
      column_name: 'nickname',
      column_type: 'varchar(40)',
      nullable: true,
      default_value: 'n/a',
      unique: false,
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'drop_col',
    params: { table: 'users', operation: 'drop_column', column_name: 'email', if_exists: false },
  },
  {
    type: 'SchemaModificationNode',
    id: 'rename_col',
    params: { table: 'users', operation: 'rename_column', column_name: 'email', new_name: 'email_address' },
  },
  {
    type: 'SchemaModificationNode',
    id: 'alter_type',
    params: {
      table: 'users',
      operation: 'alter_column_type',
      column_name: 'name',
      column_type: 'varchar(200)',
      using: 'name',
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'set_def',
    params: { table: 'users', operation: 'set_default', column_name: 'name', default_value: 'anonymous' },
  },
  {
    type: 'SchemaModificationNode',
    id: 'check',
    params: {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      constraint_name: 'orders_total_positive',
      expression: 'total > 0',
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'fk',
    params: {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      constraint_name: 'orders_user_fk',
      column_name: 'user_id',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'index',
    params: {
      table: 'users',
      operation: 'create_index',
      index_name: 'users_email_idx',
      columns: ['email'],
      where: 'email IS NOT NULL',
      concurrently: false,
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'new_table',
    params: {
      table: 'events',
      operation: 'create_table',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'kind', type: 'text' },
      ],
      primary_key: ['id'],
    },
  },
  {
    type: 'SchemaModificationNode',
    id: 'rename_table',
    params: { table: 'orders', operation: 'rename_table', new_name: 'purchases' },
  },
  {
    type: 'MigrationNode',
    id: 'track',
    params: {
      migration_name: 'add_nickname',
      status: 'pending',
      action: 'record',
      metadata: { version: '1.0', description: 'adds nickname', breaking_change: false },
    },
  },
  { type: 'SwitchNode', id: 'route', params: { input: 'a', cases: { a: 'route_target' }, default: 'route_target' } },
  {
    type: 'TransactionScopeNode',
    id: 'scope',
    params: { rollback_on_error: true, isolation_level: 'serializable', timeout: 30 },
  },
  {
    type: 'ValidationNode',
    id: 'verify',
    params: {
      table: 'users',
      column: 'name',
      check_table_exists: true,
      check_column_exists: true,
      check_column_type: 'varchar(100)',
      check_not_null: false,
      check_unique: false,
      check_row_count: { min: 1, max: 10 },
      check_sql: 'SELECT 1 WHERE 1 = 0',
    },
  },
  {
    type: 'DataMigrationNode',
    id: 'copy',
    params: {
      source_table: 'users',
      target_table: 'users',
      field_mapping: { name: 'email' },
      where: 'id > 0',
      batch_size: 100,
    },
  },
  {
    type: 'DataBackfillNode',
    id: 'fill',
    params: {
      table: 'orders',
      update_field: 'total',
      calculation: 'total + 1',
      where: 'total IS NULL',
      batch_size: 100,
      pause_ms: 0,
    },
  },
  {
    type: 'MonitoringNode',
    id: 'metrics',
    params: {
      capture_metrics: ['row_count', 'query_performance'],
      tables: ['users'],
      queries: ['SELECT count(*) FROM users'],
      repeat: 1,
      compare_with: 'metrics_before',
      alert_on_degradation: false,
      threshold_pct: 20,
      fail_on_degradation: false,
    },
  },
  { type: 'PythonCodeNode', id: 'py', params: { code: 'result = 1', timeout: 1000 } },
  { type: 'CodeNode', id: 'js', params: { code: 'result = 1', timeout: 1000 } },
];

type FileNode = { id: string; type: string; params: Params };

/** The file's nodes: the case's node with what its base needs (a Switch's target after it, an earlier metrics capture before it). */
function withCompanions(base: { type: string }, node: FileNode): FileNode[] {
  if (base.type === 'SwitchNode')
    return [node, { id: 'route_target', type: 'ValidationNode', params: { table: 'users', check_table_exists: true } }];
  if (base.type === 'MonitoringNode')
    return [
      { id: 'metrics_before', type: 'MonitoringNode', params: { capture_metrics: ['row_count'], tables: ['users'] } },
      node,
    ];
  return [node];
}

const LONG = 'a'.repeat(64);

/** The wrong values of each kind of param: [what, value]. Kept to what no param of the kind may take. */
const IDENTIFIER: [string, unknown][] = [
  ['empty', ''],
  ['64 characters', LONG],
  ['a space', 'bad name'],
  ['NUL', 'us\u0000ers'],
  ['an ESC sequence', 'x\u001b[2J\u001b[1;32mALL GOOD\u001b[0m\u0007'],
  ['a quote and a second statement', 'users"; DROP TABLE users; --'],
  ['a single quote', "users'--"],
  ['full-width letters', 'ｕｓｅｒｓ'],
  ['a right-to-left override', 'user\u202esresu'],
  ['a lone surrogate', 'x\ud800'],
  ['a number', 42],
  ['null', null],
  ['an object', { name: 'users' }],
  ['a ":" that is no reference', ':users; drop'],
];
const TEXT: [string, unknown][] = [
  ['NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\udc00b'],
  ['a number', 7],
  ['an array', ['x']],
];
const SQL: [string, unknown][] = [
  ['empty', ''],
  ['NUL', 'id > 0\u0000'],
  ['a second statement', '1 = 1; DROP TABLE users'],
  ['a lone surrogate', "name = 'x\ud800'"],
  ['a number', 1],
];
const NUMBER: [string, unknown][] = [
  ['a string', '10'],
  ['negative', -5],
  ['a fraction', 1.5],
  ['huge', 1e18],
  ['beyond 2^64', 36893488147419103232n],
  ['a boolean', true],
];
const BOOLEAN: [string, unknown][] = [
  ['a string', 'true'],
  ['a number', 1],
];
const ENUM: [string, unknown][] = [
  ['unknown', 'bogus'],
  ['empty', ''],
  ['upper case', 'UPPER'],
  ['a number', 3],
];
const LIST: [string, unknown][] = [
  ['a string', 'users'],
  ['empty', []],
  ['NUL in an item', ['us\u0000ers']],
  ['an ESC in an item', ['x\u001b]0;pwned\u0007']],
  ['a number item', [5]],
];
const OBJECT: [string, unknown][] = [
  ['a string', 'users'],
  ['an array', [1]],
  ['empty', {}],
  ['a NUL key', { 'a\u0000b': 'x' }],
  ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
];
const LITERAL: [string, unknown][] = [
  ['NUL', 'n\u0000a'],
  ['a lone surrogate', 'x\ud800y'],
  ['empty SQL', { sql: '' }],
  ['SQL with an extra key', { sql: '1', drop: true }],
  ['an array', ['a']],
  ['a second statement as SQL', { sql: "'x'; DROP TABLE users" }],
];

function unwrap(t: z.ZodType): z.ZodType {
  let s: z.ZodType = t;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
    s = (s as z.ZodOptional<z.ZodType>).unwrap();
  return s;
}

/** The wrong values for param `name` of `desc`, by the kind its schema declares. */
function wrongValues(desc: NodeDescription, name: string, schema: z.ZodType): [string, unknown][] {
  const s = unwrap(schema);
  const sqlField = desc.fields.find((f) => f.name === name)?.widget === 'code';
  if (s instanceof z.ZodString) {
    if (name === 'code') return [['empty', ''], ...TEXT.slice(1, 3)];
    if (sqlField) return SQL;
    const hasFormat = (s as unknown as { format?: string | null }).format === 'regex' || s.def.checks?.length;
    if (name === 'column_type' || name === 'check_column_type')
      return [
        ['unknown', 'varchr(10)'],
        ['an injection', 'text); DROP TABLE users; --'],
        ['NUL', 'te\u0000xt'],
        ['empty', ''],
        ['a number', 5],
      ];
    return hasFormat && name !== 'migration_name'
      ? IDENTIFIER
      : [['empty', ''], ['201 characters', 'm'.repeat(201)], ...TEXT];
  }
  if (s instanceof z.ZodNumber) return NUMBER;
  if (s instanceof z.ZodBoolean) return BOOLEAN;
  if (s instanceof z.ZodEnum || s instanceof z.ZodLiteral) return ENUM;
  if (s instanceof z.ZodArray) return LIST;
  if (s instanceof z.ZodUnion)
    return name === 'input'
      ? [
          ['NUL', 'a\u0000'],
          ['an array', ['a']],
          ['null', null],
        ]
      : LITERAL;
  return OBJECT;
}

function fileText(nodes: { id: string; type: string; params: Params }[], extra: Params = {}): string {
  return stringifyJson(
    { format: 'dataflow-workflow', version: 1, name: 'corpus', nodes, connections: [], ...extra },
    2,
  );
}

function labelOf(desc: NodeDescription, name: string): string {
  return desc.fields.find((f) => f.name === name)?.label ?? name;
}

/** Every case of the corpus, in a stable order. */
export function badInputCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  const seen = new Set<string>();
  for (const desc of NODE_TYPES) {
    const shape = paramShape(desc.params as z.ZodType);
    const bases = BASES.filter((b) => b.type === desc.type);
    for (const name of Object.keys(shape)) {
      // The first base (operation) that holds the param, or the first base at all.
      const base = bases.find((b) => name in b.params) ?? bases[0]!;
      const key = `${desc.type} ${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [what, value] of wrongValues(desc, name, shape[name]!)) {
        // An empty object or a fraction is wrong only where the param's own schema says so.
        if ((what === 'empty' || what === 'a fraction') && unwrap(shape[name]!).safeParse(value).success) continue;
        const params = { ...base.params, [name]: value };
        cases.push({
          name: `${desc.type}${base.params.operation ? ` ${String(base.params.operation)}` : ''} ${name}: ${what}`,
          text: fileText(withCompanions(base, { id: base.id, type: desc.type, params })),
          node: base.id,
          field: labelOf(desc, name),
        });
      }
    }
    for (const base of bases) {
      for (const name of Object.keys(base.params)) {
        if (!isRequired(desc, base.params, name)) continue;
        const { [name]: _gone, ...params } = base.params;
        cases.push({
          name: `${desc.type}${base.params.operation ? ` ${String(base.params.operation)}` : ''} ${name}: missing`,
          text: fileText(withCompanions(base, { id: base.id, type: desc.type, params })),
          node: base.id,
          field: labelOf(desc, name),
        });
      }
      cases.push({
        name: `${desc.type}${base.params.operation ? ` ${String(base.params.operation)}` : ''}: an unknown param`,
        text: fileText(
          withCompanions(base, { id: base.id, type: desc.type, params: { ...base.params, drop_everything: true } }),
        ),
        node: base.id,
        field: 'drop_everything',
      });
    }
  }
  cases.push(...structureCases());
  return cases;
}

/** True when leaving `name` out of `params` makes the node invalid. */
function isRequired(desc: NodeDescription, params: Params, name: string): boolean {
  const { [name]: _gone, ...rest } = params;
  return !desc.params.safeParse(rest).success;
}

const ok = (id: string) => ({ id, type: 'ValidationNode', params: { table: 'users', check_table_exists: true } });
const edge = (source: string, target: string, sourceOutput = 'result', targetInput = 'input') => ({
  source,
  sourceOutput,
  target,
  targetInput,
});

/** The workflow's structure broken: node types, ids, connections, cycles, the file itself. */
function structureCases(): BadInputCase[] {
  const cases: BadInputCase[] = [];
  for (const [what, type] of [
    ['a misspelt type', 'SchemaModificationNod'],
    ['a lower-case type', 'schemamodificationnode'],
    ['an empty type', ''],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['an ESC sequence', 'Evil\u001b[2J\u001b[32mNode'],
    ['NUL', 'Schema\u0000ModificationNode'],
  ] as const)
    cases.push({
      name: `unknown node type: ${what}`,
      text: fileText([{ id: 'strange', type, params: {} }]),
      node: 'strange',
      field: 'type',
    });
  for (const [what, id] of [
    ['NUL', 'a\u0000b'],
    ['an ESC sequence', 'n\u001b[2Jx'],
    ['a space', 'my node'],
    ['101 characters', 'n'.repeat(101)],
    ['empty', ''],
    ['a quote', 'n"; DROP TABLE users; --'],
  ] as const)
    cases.push({
      name: `node id: ${what}`,
      text: fileText([{ ...ok('x'), id }]),
      node: id || undefined,
      field: 'nodes.0.id',
    });
  cases.push({ name: 'duplicate node ids', text: fileText([ok('twin'), ok('twin')]), node: 'twin', field: 'id' });
  cases.push({
    name: 'connection from a missing node',
    text: fileText([ok('a')], { connections: [edge('ghost', 'a')] }),
    node: 'ghost',
    field: 'connections[0].source',
  });
  cases.push({
    name: 'connection to a missing node',
    text: fileText([ok('a')], { connections: [edge('a', 'ghost')] }),
    node: 'ghost',
    field: 'connections[0].target',
  });
  cases.push({
    name: 'connection to itself',
    text: fileText([ok('a')], { connections: [edge('a', 'a')] }),
    node: 'a',
    field: 'connections[0]',
  });
  cases.push({
    name: 'duplicate connection',
    text: fileText([ok('a'), ok('b')], { connections: [edge('a', 'b'), edge('a', 'b')] }),
    node: 'b',
    field: 'connections[1]',
  });
  cases.push({
    name: 'connection with an ESC in its output name',
    text: fileText([ok('a'), ok('b')], { connections: [edge('a', 'b', 'res\u001b[2Jult')] }),
    field: 'connections.0.sourceOutput',
  });
  cases.push({
    name: 'cycle of two',
    text: fileText([ok('a'), ok('b')], { connections: [edge('a', 'b'), edge('b', 'a')] }),
    node: 'b',
    field: 'connections[1]',
  });
  cases.push({
    name: 'cycle of three',
    text: fileText([ok('a'), ok('b'), ok('c')], { connections: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')] }),
    node: 'c',
    field: 'connections[2]',
  });
  cases.push({
    name: 'cycle through a switch route',
    text: fileText([{ id: 's', type: 'SwitchNode', params: { input: 'x', cases: { x: 'a' } } }, ok('a')], {
      connections: [edge('a', 's')],
    }),
    node: 'a',
    field: 'connections[0]',
  });
  cases.push({
    name: 'switch routing to a missing node',
    text: fileText([{ id: 's', type: 'SwitchNode', params: { input: 'x', cases: { x: 'ghost' } } }]),
    node: 's',
    field: 'cases.x',
  });
  cases.push({
    name: 'switch routing to itself',
    text: fileText([{ id: 's', type: 'SwitchNode', params: { input: 'x', cases: { x: 'a' }, default: 's' } }, ok('a')]),
    node: 's',
    field: 'default',
  });
  cases.push({
    name: 'metrics compared with a node that is no MonitoringNode',
    text: fileText([
      ok('a'),
      { id: 'm', type: 'MonitoringNode', params: { capture_metrics: ['row_count'], compare_with: 'a' } },
    ]),
    node: 'm',
    field: 'compare_with',
  });
  cases.push({
    name: 'a reference no connection feeds',
    text: fileText([
      {
        id: 'fill',
        type: 'DataBackfillNode',
        params: { table: ':table_name', update_field: 'total', calculation: '1' },
      },
    ]),
    node: 'fill',
    field: 'Table',
  });
  cases.push({ name: 'workflow name with NUL', text: fileText([ok('a')], { name: 'evil\u0000name' }), field: 'name' });
  cases.push({
    name: 'workflow name with a lone surrogate',
    text: fileText([ok('a')], { name: 'evil\udfff' }),
    field: 'name',
  });
  cases.push({
    name: 'group listing a missing node',
    text: fileText([ok('a')], { groups: [{ id: 'g', name: 'G', nodes: ['ghost'] }] }),
    node: 'ghost',
    field: 'groups[0].nodes[0]',
  });
  cases.push({
    name: 'note of 100,001 characters',
    text: fileText([ok('a')], { notes: [{ id: 'n', text: 'x'.repeat(100_001), position: { x: 0, y: 0 } }] }),
    field: 'notes.0.text',
  });
  cases.push({ name: 'not JSON', text: '{"format": "dataflow-workflow", "nodes": [', says: 'not valid JSON' });
  cases.push({
    name: 'JSON with a NUL outside strings',
    text: '{"format": "dataflow-workflow",\u0000 "nodes": []}',
    says: 'not valid JSON',
  });
  cases.push({
    name: 'another format',
    text: stringifyJson({ format: 'n8n', version: 1, nodes: [] }),
    field: 'format',
  });
  cases.push({
    name: 'a later version',
    text: stringifyJson({ format: 'dataflow-workflow', version: 2, nodes: [] }),
    field: 'version',
  });
  cases.push({
    name: 'nodes not a list',
    text: stringifyJson({ format: 'dataflow-workflow', version: 1, nodes: { a: 1 } }),
    field: 'nodes',
  });
  return cases;
}
