/** One line a DBA can read at a glance for each node: `orders.processing_status varchar(50) NOT NULL DEFAULT 'pending'`. */
type P = Record<string, unknown>;

const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

export function literal(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && typeof (v as { sql?: unknown }).sql === 'string') return (v as { sql: string }).sql;
  return JSON.stringify(v) ?? '';
}

const list = (v: unknown): string =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? str((x as P).name) : str(x))).join(', ') : str(v);

function schemaChange(p: P): string {
  const t = str(p.table) || '?';
  const col = `${t}.${str(p.column_name) || '?'}`;
  switch (p.operation) {
    case 'add_column': {
      const parts = [col, str(p.column_type) || '?'];
      if (p.nullable === false) parts.push('NOT NULL');
      if (p.default_value !== undefined) parts.push(`DEFAULT ${literal(p.default_value)}`);
      if (p.unique === true) parts.push('UNIQUE');
      return parts.join(' ');
    }
    case 'drop_column':
      return `DROP ${col}`;
    case 'rename_column':
      return `${col} → ${str(p.new_name) || '?'}`;
    case 'alter_column_type':
      return `${col} TYPE ${str(p.column_type) || '?'}`;
    case 'set_default':
      return `${col} SET DEFAULT ${literal(p.default_value)}`;
    case 'drop_default':
      return `${col} DROP DEFAULT`;
    case 'add_constraint': {
      const refs = (p.references ?? {}) as P;
      switch (p.constraint_type) {
        case 'not_null':
          return `${col} NOT NULL`;
        case 'check':
          return `${t} CHECK (${str(p.expression)})`;
        case 'foreign_key':
          return `${col} → ${str(refs.table) || '?'}.${str(refs.column) || '?'}`;
        case 'unique':
          return `${t} UNIQUE (${list(p.columns) || str(p.column_name)})`;
        case 'primary_key':
          return `${t} PRIMARY KEY (${list(p.columns) || str(p.column_name)})`;
        default:
          return `${t} ADD CONSTRAINT`;
      }
    }
    case 'drop_constraint':
      return `${t} DROP CONSTRAINT ${str(p.constraint_name) || '?'}`;
    case 'create_index':
      return `${p.unique === true ? 'UNIQUE ' : ''}INDEX ${str(p.index_name) || ''} ON ${t} (${list(p.columns)})`.replace(
        '  ',
        ' ',
      );
    case 'drop_index':
      return `DROP INDEX ${str(p.index_name) || '?'}`;
    case 'create_table':
      return `CREATE TABLE ${t} (${list(p.columns)})`;
    case 'drop_table':
      return `DROP TABLE ${t}`;
    case 'rename_table':
      return `${t} → ${str(p.new_name) || '?'}`;
    default:
      return t;
  }
}

const VALIDATION_CHECKS: [string, (p: P) => string][] = [
  ['check_table_exists', (p) => `table ${str(p.table)} exists`],
  ['check_column_exists', (p) => `${str(p.table)}.${str(p.column)} exists`],
  ['check_column_type', (p) => `${str(p.table)}.${str(p.column)} is ${str(p.check_column_type)}`],
  ['check_not_null', (p) => `${str(p.table)}.${str(p.column)} has no NULLs`],
  ['check_unique', (p) => `${str(p.table)}.${str(p.column)} is unique`],
  ['check_row_count', (p) => `${str(p.table)} row count`],
  ['check_sql', () => 'query check'],
];

export function summarize(type: string, p: P): string {
  switch (type) {
    case 'SchemaModificationNode':
      return schemaChange(p);
    case 'MigrationNode':
      return `${str(p.migration_name) || '?'}: ${str(p.action) && p.action !== 'record' ? str(p.action) : str(p.status) || '?'}`;
    case 'SwitchNode': {
      const cases = p.cases && typeof p.cases === 'object' ? Object.keys(p.cases) : [];
      return `${str(p.input) || '?'} → ${cases.join(' | ') || 'no cases'}${typeof p.default === 'string' ? ' | default' : ''}`;
    }
    case 'TransactionScopeNode':
      return [
        p.rollback_on_error === false ? 'no rollback on error' : 'rollback on error',
        str(p.isolation_level),
        p.timeout ? `${str(p.timeout)} s` : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'ValidationNode':
      return (
        VALIDATION_CHECKS.filter(([k]) => p[k] !== undefined && p[k] !== false)
          .map(([, f]) => f(p))
          .join('; ') || 'no checks'
      );
    case 'DataMigrationNode': {
      const m =
        p.field_mapping && typeof p.field_mapping === 'object'
          ? Object.entries(p.field_mapping as P)
              .map(([a, b]) => `${a}→${str(b)}`)
              .join(', ')
          : '';
      return `${str(p.source_table) || '?'} → ${str(p.target_table) || '?'} (${m})`;
    }
    case 'DataBackfillNode':
      return `${str(p.table) || '?'}.${str(p.update_field) || '?'} = ${str(p.calculation) || '?'}`;
    case 'MonitoringNode':
      return `${list(p.capture_metrics)}${typeof p.compare_with === 'string' ? ` vs ${p.compare_with}` : ''}`;
    case 'PythonCodeNode':
    case 'CodeNode':
      return (
        str(p.code)
          .split('\n')
          .find((l) => l.trim()) ?? ''
      ).trim();
    default:
      return '';
  }
}
