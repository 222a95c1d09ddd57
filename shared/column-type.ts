/**
 * The column type grammar. A `column_type` a user writes is parsed into a `ColumnType`; anything
 * that does not match the grammar is an error and never reaches SQL. Each dialect renders a
 * `ColumnType` itself (`renderType` in electron/db/<dialect>/render.ts).
 */

export type BaseType =
  | 'text'
  | 'varchar'
  | 'char'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'real'
  | 'double precision'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'uuid'
  | 'json'
  | 'jsonb'
  | 'bytea';

export interface ColumnType {
  base: BaseType;
  /** varchar(n) / char(n). */
  length?: number;
  /** numeric(p[,s]). */
  precision?: number;
  scale?: number;
  /** Array dimensions (`integer[]` is 1); PostgreSQL only. */
  arrayDims: number;
  /**
   * Written `serial`, `bigserial` or `smallserial` (PostgreSQL's spelling of an auto-numbered
   * integer): the base is integer, bigint or smallint, and the column is an identity column
   * (`identity` of create_table and add_column). Only a new column can be one.
   */
  serial?: true;
}

/** PostgreSQL's serial pseudo-types and the integer type each numbers. */
export const SERIAL_TYPES: Readonly<Record<string, BaseType>> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

const ALIASES: Record<string, BaseType> = {
  text: 'text',
  varchar: 'varchar',
  'character varying': 'varchar',
  char: 'char',
  character: 'char',
  smallint: 'smallint',
  int2: 'smallint',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  numeric: 'numeric',
  decimal: 'numeric',
  real: 'real',
  float4: 'real',
  'double precision': 'double precision',
  double: 'double precision',
  float8: 'double precision',
  float: 'double precision',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  time: 'time',
  'time without time zone': 'time',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  datetime: 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
  blob: 'bytea',
};

/** The type names the grammar accepts, for hints and error messages. */
export const TYPE_NAMES: readonly string[] = [
  'text',
  'varchar(n)',
  'char(n)',
  'smallint',
  'integer',
  'bigint',
  'decimal(p,s)',
  'numeric(p,s)',
  'real',
  'double precision',
  'boolean',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'json',
  'jsonb',
  'bytea',
  'blob',
  'serial / bigserial / smallserial (an identity column)',
  '<type>[] (PostgreSQL)',
];

/**
 * The column types a type picker offers, in the grammar's own spelling (each parses): the common
 * lengths and precisions written out, arrays only for a dialect that has them (`supportsArrays`).
 */
export function columnTypeChoices(arrays: boolean): string[] {
  const scalars = [
    'text',
    'varchar(255)',
    'char(1)',
    'smallint',
    'integer',
    'bigint',
    'numeric(10,2)',
    'real',
    'double precision',
    'boolean',
    'date',
    'time',
    'timestamp',
    'timestamptz',
    'interval',
    'uuid',
    'json',
    'jsonb',
    'bytea',
    'serial',
    'bigserial',
  ];
  return arrays ? [...scalars, 'text[]', 'integer[]', 'bigint[]'] : scalars;
}

export type ParseTypeResult = { ok: true; type: ColumnType } | { ok: false; error: string };

const GRAMMAR = /^([a-z][a-z0-9 ]*?)\s*(?:\(\s*(\d{1,8})\s*(?:,\s*(\d{1,4})\s*)?\))?\s*((?:\[\s*\]\s*)*)$/;

export function parseColumnType(input: string): ParseTypeResult {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = GRAMMAR.exec(text);
  const fail = (why: string): ParseTypeResult => ({
    ok: false,
    error: `"${input}" is not a column type${why ? ` (${why})` : ''}; use one of: ${TYPE_NAMES.join(', ')}`,
  });
  if (!m) return fail('');
  const [, name = '', a, b, arrays = ''] = m;
  const arrayDims = (arrays.match(/\[/g) ?? []).length;
  const serial = SERIAL_TYPES[name.trim()];
  if (serial) {
    if (a !== undefined) return fail(`${name.trim()} takes no length`);
    if (arrayDims > 0) return fail(`an array cannot be ${name.trim()}: only a single integer column is numbered`);
    return { ok: true, type: { base: serial, arrayDims: 0, serial: true } };
  }
  const base = ALIASES[name.trim()];
  if (!base) return fail(`unknown type name "${name.trim()}"`);
  const type: ColumnType = { base, arrayDims };
  if (base === 'varchar' || base === 'char') {
    if (b !== undefined) return fail(`${base} takes one length`);
    if (a !== undefined) {
      const n = Number(a);
      if (n < 1 || n > 10485760) return fail('length must be between 1 and 10485760');
      type.length = n;
    } else if (base === 'char') type.length = 1;
  } else if (base === 'numeric') {
    if (a !== undefined) {
      const p = Number(a);
      const s = b === undefined ? 0 : Number(b);
      if (p < 1 || p > 1000) return fail('precision must be between 1 and 1000');
      if (s > p) return fail('scale must not exceed precision');
      type.precision = p;
      type.scale = s;
    }
  } else if (a !== undefined) {
    return fail(`${base} takes no length`);
  }
  return { ok: true, type };
}

/**
 * Whether a new column is an identity column: asked for with `identity: true`, or its type written
 * serial / bigserial / smallserial. A type that does not parse is not one (it fails on its own).
 */
export function isIdentity(identity: boolean | undefined, typeText: string): boolean {
  if (identity === true) return true;
  const parsed = parseColumnType(typeText);
  return parsed.ok && parsed.type.serial === true;
}

/** Canonical text of a parsed type (`varchar(20)`, `numeric(10,2)`, `integer[]`; `serial` is `integer`). */
export function formatColumnType(t: ColumnType): string {
  let s: string = t.base;
  if (t.length !== undefined) s += `(${t.length})`;
  if (t.precision !== undefined) s += `(${t.precision},${t.scale ?? 0})`;
  return s + '[]'.repeat(t.arrayDims);
}

/** Type families used to check that a literal default fits its column. */
export function typeFamily(
  t: ColumnType,
): 'text' | 'integer' | 'decimal' | 'boolean' | 'temporal' | 'json' | 'binary' | 'uuid' | 'array' {
  if (t.arrayDims > 0) return 'array';
  switch (t.base) {
    case 'text':
    case 'varchar':
    case 'char':
      return 'text';
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'numeric':
    case 'real':
    case 'double precision':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'bytea':
      return 'binary';
    case 'uuid':
      return 'uuid';
    default:
      return 'temporal';
  }
}

/**
 * The values an integer type holds, as BigInts so that integers beyond 2^53 compare exactly
 * (PostgreSQL's ranges; SQLite keeps every integer in 64 bits, the range of bigint).
 */
export const INTEGER_RANGES: Readonly<Record<'smallint' | 'integer' | 'bigint', readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** `value` as an exact integer: a whole JavaScript number or a BigInt (shared/json-text.ts); null for anything else. */
export function exactInteger(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : null;
}

/** Whether `value` lies in the range of integer type `base` (bigint's range for any other base). */
export function fitsInteger(value: bigint, base: BaseType): boolean {
  const [min, max] = INTEGER_RANGES[base as keyof typeof INTEGER_RANGES] ?? INTEGER_RANGES.bigint;
  return value >= min && value <= max;
}
