import { describe, expect, it } from 'vitest';
import { NODE_TYPES, isReference, nodeDescription, paramShape } from './index.ts';

const schemaOf = (type: string) => {
  const d = nodeDescription(type);
  if (!d) throw new Error(`no node type ${type}`);
  return d.params;
};
const parse = (type: string, params: unknown) => schemaOf(type).safeParse(params);
const issues = (type: string, params: unknown) => {
  const r = parse(type, params);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

/** Every params object the source guide writes, by node type. */
const GUIDE: [string, Record<string, unknown>][] = [
  [
    'SchemaModificationNode',
    { table: 'orders', operation: 'add_column', column_name: 'notes', column_type: 'text', nullable: true },
  ],
  [
    'SchemaModificationNode',
    {
      table: 'users',
      operation: 'add_column',
      column_name: 'phone_number',
      column_type: 'varchar(20)',
      nullable: true,
    },
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'drop_column', column_name: 'deprecated_field' }],
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
    'SchemaModificationNode',
    {
      table: 'contacts',
      operation: 'add_column',
      column_name: 'email',
      column_type: 'varchar(255)',
      nullable: false,
      unique: true,
    },
  ],
  [
    'SchemaModificationNode',
    { table: 'users', operation: 'add_column', column_name: 'last_login', column_type: 'timestamp', nullable: true },
  ],
  [
    'SchemaModificationNode',
    { table: 'products', operation: 'add_column', column_name: 'description', column_type: 'text', nullable: true },
  ],
  [
    'SchemaModificationNode',
    {
      table: 'products',
      operation: 'add_column',
      column_name: 'is_active',
      column_type: 'boolean',
      nullable: false,
      default_value: true,
    },
  ],
  [
    'SchemaModificationNode',
    {
      table: 'users',
      operation: 'add_column',
      column_name: 'email_address',
      column_type: 'varchar(255)',
      nullable: true,
    },
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'drop_column', column_name: 'email' }],
  [
    'SchemaModificationNode',
    { table: 'test_users', operation: 'add_column', column_name: 'test_field', column_type: 'varchar(50)' },
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'drop_column', column_name: 'preferences' }],
  [
    'SchemaModificationNode',
    { table: 'users', operation: 'add_column', column_name: 'preferences', column_type: 'jsonb' },
  ],
  [
    'SchemaModificationNode',
    {
      table: 'orders',
      operation: 'add_column',
      column_name: 'total_amount',
      column_type: 'decimal(10,2)',
      nullable: true,
    },
  ],
  [
    'SchemaModificationNode',
    { table: 'orders', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'total_amount' },
  ],
  ['MigrationNode', { migration_name: 'add_user_phone_number', status: 'pending' }],
  ['MigrationNode', { migration_name: 'add_user_phone_number', status: 'completed' }],
  ['MigrationNode', { migration_name: 'user_table_v2', action: 'check_status' }],
  [
    'MigrationNode',
    {
      migration_name: 'schema_v2.1.0',
      status: 'pending',
      metadata: { version: '2.1.0', description: 'Add user preferences table', breaking_change: false },
    },
  ],
  ['MigrationNode', { migration_name: 'add_preferences', action: 'check_rollback_needed' }],
  ['SwitchNode', { input: ':migration_status', cases: { pending: 'apply_migration', completed: 'skip_migration' } }],
  ['SwitchNode', { input: ':needs_rollback', cases: { true: 'rollback_migration', false: 'proceed_migration' } }],
  ['PythonCodeNode', { code: "result = {'message': 'Migration already applied'}" }],
  ['DataMigrationNode', { source_table: 'users', target_table: 'users', field_mapping: { email: 'email_address' } }],
  ['TransactionScopeNode', { rollback_on_error: true }],
  ['ValidationNode', { check_column_exists: true, table: 'test_users', column: 'test_field' }],
  [
    'DataBackfillNode',
    { table: 'orders', update_field: 'total_amount', calculation: 'subtotal + tax + shipping', batch_size: 1000 },
  ],
  ['MonitoringNode', { capture_metrics: ['query_performance', 'table_size', 'index_usage'] }],
  [
    'MonitoringNode',
    {
      capture_metrics: ['query_performance', 'table_size', 'index_usage'],
      compare_with: 'pre_migration_metrics',
      alert_on_degradation: true,
    },
  ],
];

/** Params each node type must refuse, with the path the error must name. */
const BAD: [string, Record<string, unknown>, string][] = [
  ['SchemaModificationNode', { table: 'users; DROP TABLE x', operation: 'drop_table' }, 'table'],
  ['SchemaModificationNode', { table: 'users', operation: 'truncate' }, 'operation'],
  ['SchemaModificationNode', { table: 'users', operation: 'add_column', column_name: 'x' }, 'column_type'],
  ['SchemaModificationNode', { table: 'users', operation: 'rename_column', column_name: 'x' }, 'new_name'],
  ['SchemaModificationNode', { table: 'users', operation: 'add_constraint', constraint_type: 'check' }, 'expression'],
  [
    'SchemaModificationNode',
    { table: 'users', operation: 'add_constraint', constraint_type: 'foreign_key', column_name: 'a' },
    'references',
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'add_constraint', constraint_type: 'unique' }, 'columns'],
  [
    'SchemaModificationNode',
    {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'a',
      references: { table: 'u', column: 'id', on_delete: 'explode' },
    },
    'references.on_delete',
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'create_table', columns: ['a'] }, 'columns.0'],
  [
    'SchemaModificationNode',
    { table: 'users', operation: 'create_index', columns: [{ name: 'a', type: 'int' }] },
    'columns.0',
  ],
  [
    'SchemaModificationNode',
    {
      table: 'users',
      operation: 'add_column',
      column_name: 'x',
      column_type: 'text',
      default_value: { sql: 'now()', extra: 1 },
    },
    'default_value',
  ],
  ['SchemaModificationNode', { table: 'users', operation: 'drop_table', cascade: true }, ''],
  ['MigrationNode', { migration_name: 'x' }, 'status'],
  ['MigrationNode', { migration_name: 'x', status: 'done' }, 'status'],
  ['MigrationNode', { migration_name: 'x', action: 'check_status', status: 'pending' }, 'status'],
  ['MigrationNode', { migration_name: '', status: 'pending' }, 'migration_name'],
  ['SwitchNode', { input: ':x', cases: {} }, 'cases'],
  ['SwitchNode', { input: ':x', cases: { a: 'bad target' } }, 'cases.a'],
  ['SwitchNode', { cases: { a: 'b' } }, 'input'],
  ['PythonCodeNode', { code: '' }, 'code'],
  ['CodeNode', { code: 'x', timeout: -1 }, 'timeout'],
  ['TransactionScopeNode', { isolation_level: 'read uncommitted' }, 'isolation_level'],
  ['ValidationNode', { table: 'users' }, ''],
  ['ValidationNode', { check_column_exists: true, table: 'users' }, 'column'],
  ['ValidationNode', { check_row_count: { min: -1 }, table: 'users' }, 'check_row_count.min'],
  ['DataMigrationNode', { source_table: 'a', target_table: 'b', field_mapping: {} }, 'field_mapping'],
  ['DataMigrationNode', { source_table: 'a', target_table: 'b', field_mapping: { a: 'b c' } }, 'field_mapping.a'],
  ['DataBackfillNode', { table: 'orders', update_field: 'total_amount', calculation: '' }, 'calculation'],
  [
    'DataBackfillNode',
    { table: 'orders', update_field: 'total_amount', calculation: 'x', batch_size: 0 },
    'batch_size',
  ],
  ['MonitoringNode', { capture_metrics: [] }, 'capture_metrics'],
  ['MonitoringNode', { capture_metrics: ['cpu'] }, 'capture_metrics.0'],
  ['MonitoringNode', { capture_metrics: ['row_count'], threshold_pct: 0 }, 'threshold_pct'],
];

describe('node catalogue', () => {
  it('has one description per guide type, each with input and result ports', () => {
    const types = NODE_TYPES.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const t of [
      'SchemaModificationNode',
      'MigrationNode',
      'SwitchNode',
      'PythonCodeNode',
      'TransactionScopeNode',
      'ValidationNode',
      'DataMigrationNode',
      'DataBackfillNode',
      'MonitoringNode',
      'CodeNode',
    ]) {
      expect(types).toContain(t);
    }
    for (const d of NODE_TYPES) {
      expect(d.inputs, d.type).toContain('input');
      expect(d.outputs, d.type).toContain('result');
    }
    expect(nodeDescription('Nope')).toBeUndefined();
  });

  it('field hints name real params, and showWhen names a real field and values', () => {
    for (const d of NODE_TYPES) {
      const shape = paramShape(d.params);
      for (const f of d.fields) {
        expect(Object.keys(shape), `${d.type}.${f.name}`).toContain(f.name);
        if (f.showWhen) expect(Object.keys(shape), `${d.type}.${f.name} showWhen`).toContain(f.showWhen.field);
        if (f.widget === 'select') expect(f.options?.length, `${d.type}.${f.name} options`).toBeGreaterThan(0);
      }
      for (const key of Object.keys(shape))
        expect(
          d.fields.map((f) => f.name),
          `${d.type} has no field hint for ${key}`,
        ).toContain(key);
    }
  });

  it('subtitles: one line a DBA reads on the card, also while the params are incomplete', () => {
    const sub = (type: string, params: Record<string, unknown>) => nodeDescription(type)!.subtitle(params);
    const add = GUIDE.find(([t, p]) => t === 'SchemaModificationNode' && p.column_name === 'processing_status')!;
    expect(sub('SchemaModificationNode', add[1])).toBe(
      "orders.processing_status varchar(50) NOT NULL DEFAULT 'pending'",
    );
    expect(sub('SchemaModificationNode', { operation: 'add_column' })).toBe('?.? ?');
    expect(
      sub('SchemaModificationNode', {
        table: 'legacy',
        operation: 'add_column',
        column_name: 'id',
        column_type: 'bigint',
        identity: true,
      }),
    ).toBe('legacy.id bigint IDENTITY');
    expect(
      sub('SchemaModificationNode', {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id' },
      }),
    ).toBe('orders.user_id → users.id');
    expect(
      sub('SchemaModificationNode', { table: 't', operation: 'create_index', columns: ['a', 'b'], unique: true }),
    ).toBe('UNIQUE INDEX ON t (a, b)');
    expect(
      sub('SchemaModificationNode', {
        table: 't',
        operation: 'add_column',
        column_name: 'x',
        column_type: 'jsonb',
        default_value: { sql: "'{}'" },
      }),
    ).toBe("t.x jsonb DEFAULT '{}'");
    expect(sub('MigrationNode', { migration_name: 'v2', status: 'pending' })).toBe('v2: pending');
    expect(sub('MigrationNode', { migration_name: 'v2', action: 'check_status' })).toBe('v2: check_status');
    expect(
      sub('SwitchNode', { input: ':migration_status', cases: { pending: 'a', completed: 'b' }, default: 'c' }),
    ).toBe(':migration_status → pending | completed | default');
    expect(sub('TransactionScopeNode', { isolation_level: 'serializable', timeout: 30 })).toBe(
      'rollback on error, serializable, 30 s',
    );
    expect(sub('ValidationNode', { table: 'users', column: 'email', check_not_null: true, check_unique: true })).toBe(
      'users.email has no NULLs; users.email is unique',
    );
    expect(sub('ValidationNode', {})).toBe('no checks');
    expect(sub('DataMigrationNode', { source_table: 'a', target_table: 'b', field_mapping: { x: 'y' } })).toBe(
      'a → b (x→y)',
    );
    expect(sub('DataBackfillNode', { table: 'orders', update_field: 'total', calculation: 'a + b' })).toBe(
      'orders.total = a + b',
    );
    expect(sub('MonitoringNode', { capture_metrics: ['row_count'], compare_with: 'before' })).toBe(
      'row_count vs before',
    );
    expect(sub('PythonCodeNode', { code: '\n  result = 1\nprint(2)' })).toBe('result = 1');
    for (const d of NODE_TYPES) expect(typeof d.subtitle({}), d.type).toBe('string');
  });

  it('defaults name params of their type', () => {
    for (const d of NODE_TYPES) {
      const shape = paramShape(d.params);
      for (const key of Object.keys(d.defaults ?? {})) expect(Object.keys(shape), `${d.type}.${key}`).toContain(key);
    }
    expect(nodeDescription('SchemaModificationNode')?.defaults).toEqual({ operation: 'add_column' });
  });

  it('is strict: unknown params are refused by every node type', () => {
    for (const d of NODE_TYPES) {
      const good = GUIDE.find(([t]) => t === d.type)?.[1] ?? { code: 'x' };
      const r = d.params.safeParse({ ...good, surely_unknown: 1 });
      expect(r.success, d.type).toBe(false);
    }
  });
});

describe("the guide's params", () => {
  for (const [type, params] of GUIDE) {
    it(`${type} accepts ${JSON.stringify(params)}`, () => {
      expect(issues(type, params)).toEqual([]);
    });
  }

  it('fills the documented defaults', () => {
    const guide = (type: string) => GUIDE.find(([t]) => t === type)![1];
    const backfill = parse('DataBackfillNode', guide('DataBackfillNode'));
    expect(backfill.success && backfill.data).toMatchObject({ batch_size: 1000, pause_ms: 0 });
    const mon = parse('MonitoringNode', guide('MonitoringNode'));
    expect(mon.success && mon.data).toMatchObject({
      repeat: 5,
      alert_on_degradation: false,
      threshold_pct: 20,
      fail_on_degradation: false,
    });
    const scope = parse('TransactionScopeNode', {});
    expect(scope.success && scope.data).toEqual({ rollback_on_error: true });
    const code = parse('PythonCodeNode', { code: 'result = 1' });
    expect(code.success && code.data).toEqual({ code: 'result = 1', timeout: 10_000 });
    const table = parse('SchemaModificationNode', {
      table: 't',
      operation: 'create_table',
      columns: [{ name: 'id', type: 'int' }],
    });
    expect(table.success && table.data).toMatchObject({
      columns: [{ name: 'id', type: 'int', nullable: true, unique: false, primary_key: false }],
    });
  });

  it('accepts every SchemaModificationNode operation in its documented form', () => {
    const ops: Record<string, unknown>[] = [
      { operation: 'rename_column', column_name: 'a', new_name: 'b' },
      { operation: 'alter_column_type', column_name: 'a', column_type: 'bigint', using: 'a::bigint' },
      { operation: 'set_default', column_name: 'a', default_value: { sql: 'CURRENT_TIMESTAMP' } },
      { operation: 'set_default', column_name: 'a', default_value: null },
      { operation: 'drop_default', column_name: 'a' },
      { operation: 'add_constraint', constraint_type: 'unique', columns: ['a', 'b'], constraint_name: 'ab_key' },
      { operation: 'add_constraint', constraint_type: 'check', expression: 'a > 0' },
      {
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      },
      { operation: 'add_constraint', constraint_type: 'primary_key', column_name: 'id' },
      { operation: 'drop_constraint', constraint_name: 'ab_key', if_exists: true },
      {
        operation: 'create_index',
        index_name: 'idx',
        columns: ['a'],
        unique: true,
        where: 'a IS NOT NULL',
        concurrently: true,
      },
      { operation: 'drop_index', index_name: 'idx', if_exists: true },
      {
        operation: 'create_table',
        columns: [
          { name: 'id', type: 'bigint', primary_key: true },
          { name: 'e', type: 'text', unique: true, default_value: 'x' },
        ],
        primary_key: ['id'],
      },
      { operation: 'drop_table' },
      { operation: 'rename_table', new_name: 'people' },
    ];
    for (const p of ops) expect(issues('SchemaModificationNode', { table: 't', ...p }), JSON.stringify(p)).toEqual([]);
  });
});

describe('bad params', () => {
  for (const [type, params, path] of BAD) {
    it(`${type} refuses ${JSON.stringify(params)} at "${path}"`, () => {
      const found = issues(type, params);
      expect(found.length).toBeGreaterThan(0);
      expect(found.map((i) => i.slice(0, i.indexOf(': ')))).toContain(path);
    });
  }
});

describe('isReference', () => {
  it('recognises ":name" and dotted references only', () => {
    expect([':migration_status', ':a.b', ':_x1'].every(isReference)).toBe(true);
    expect([':', 'migration_status', ':1a', ': x', ':a b', 5, null].some(isReference)).toBe(false);
  });
});
