import { describe, expect, it } from 'vitest';
import { formatColumnType, parseColumnType, typeFamily, type ColumnType } from './column-type.ts';

const canonical = (s: string) => {
  const r = parseColumnType(s);
  if (!r.ok) throw new Error(r.error);
  return formatColumnType(r.type);
};

describe('parseColumnType', () => {
  it('accepts every type NODES.md lists, in canonical form', () => {
    const cases: [string, string][] = [
      ['text', 'text'],
      ['varchar(20)', 'varchar(20)'],
      ['char(3)', 'char(3)'],
      ['smallint', 'smallint'],
      ['integer', 'integer'],
      ['bigint', 'bigint'],
      ['decimal(10,2)', 'numeric(10,2)'],
      ['numeric(12, 4)', 'numeric(12,4)'],
      ['real', 'real'],
      ['double precision', 'double precision'],
      ['boolean', 'boolean'],
      ['date', 'date'],
      ['time', 'time'],
      ['timestamp', 'timestamp'],
      ['timestamptz', 'timestamptz'],
      ['interval', 'interval'],
      ['uuid', 'uuid'],
      ['json', 'json'],
      ['jsonb', 'jsonb'],
      ['bytea', 'bytea'],
      ['blob', 'bytea'],
      ['text[]', 'text[]'],
      ['integer[][]', 'integer[][]'],
    ];
    for (const [input, out] of cases) expect(canonical(input), input).toBe(out);
  });

  it('accepts aliases, any case and extra spaces', () => {
    const cases: [string, string][] = [
      ['VARCHAR(255)', 'varchar(255)'],
      ['character varying(10)', 'varchar(10)'],
      ['Character', 'char(1)'],
      ['char', 'char(1)'],
      ['int2', 'smallint'],
      ['int', 'integer'],
      ['INT4', 'integer'],
      ['int8', 'bigint'],
      ['decimal', 'numeric'],
      ['numeric(5)', 'numeric(5,0)'],
      ['float4', 'real'],
      ['double', 'double precision'],
      ['float8', 'double precision'],
      ['float', 'double precision'],
      ['bool', 'boolean'],
      ['time without time zone', 'time'],
      ['timestamp without time zone', 'timestamp'],
      ['datetime', 'timestamp'],
      ['timestamp with time zone', 'timestamptz'],
      ['  Double   Precision  ', 'double precision'],
      ['varchar ( 20 )', 'varchar(20)'],
      ['int [ ]', 'integer[]'],
      ['varchar(10485760)', 'varchar(10485760)'],
    ];
    for (const [input, out] of cases) expect(canonical(input), input).toBe(out);
  });

  it('fills the parsed fields', () => {
    expect(parseColumnType('numeric(10,2)[]')).toEqual({
      ok: true,
      type: { base: 'numeric', precision: 10, scale: 2, arrayDims: 1 },
    });
    expect(parseColumnType('varchar(20)')).toEqual({ ok: true, type: { base: 'varchar', length: 20, arrayDims: 0 } });
    expect(parseColumnType('varchar')).toEqual({ ok: true, type: { base: 'varchar', arrayDims: 0 } });
  });

  it('rejects SQL smuggled into a type and malformed types', () => {
    for (const bad of [
      'varchar(20); DROP TABLE users',
      'text --',
      'int)',
      'int(',
      'text[',
      'varchar()',
      'integer /* x */',
      "text DEFAULT 'x'",
      'text NOT NULL',
      '',
      '(20)',
      'text]',
    ]) {
      const r = parseColumnType(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toContain(`"${bad}" is not a column type`);
    }
  });

  it('reads serial, bigserial and smallserial as their integer type, marked serial (an identity column)', () => {
    const cases: [string, ColumnType][] = [
      ['serial', { base: 'integer', arrayDims: 0, serial: true }],
      ['SERIAL4', { base: 'integer', arrayDims: 0, serial: true }],
      ['bigserial', { base: 'bigint', arrayDims: 0, serial: true }],
      ['serial8', { base: 'bigint', arrayDims: 0, serial: true }],
      ['smallserial', { base: 'smallint', arrayDims: 0, serial: true }],
      ['serial2', { base: 'smallint', arrayDims: 0, serial: true }],
    ];
    for (const [text, type] of cases) expect(parseColumnType(text)).toEqual({ ok: true, type });
    expect(canonical('bigserial')).toBe('bigint');
    expect(parseColumnType('integer')).toEqual({ ok: true, type: { base: 'integer', arrayDims: 0 } });
  });

  it('rejects unknown names and bad sizes with the reason and the list of types', () => {
    const reason = (s: string) => {
      const r = parseColumnType(s);
      return r.ok ? 'accepted' : r.error;
    };
    expect(reason('money')).toMatch(/unknown type name "money".*use one of: text, varchar\(n\)/);
    expect(reason('serial(4)')).toMatch(/serial takes no length/);
    expect(reason('bigserial[]')).toMatch(/an array cannot be bigserial/);
    expect(reason('varchar(0)')).toMatch(/length must be between 1 and 10485760/);
    expect(reason('varchar(10485761)')).toMatch(/length must be between 1 and 10485760/);
    expect(reason('varchar(10,2)')).toMatch(/varchar takes one length/);
    expect(reason('numeric(3,5)')).toMatch(/scale must not exceed precision/);
    expect(reason('numeric(1001)')).toMatch(/precision must be between 1 and 1000/);
    expect(reason('integer(4)')).toMatch(/integer takes no length/);
    expect(reason('timestamp(3)')).toMatch(/timestamp takes no length/);
  });
});

describe('typeFamily', () => {
  it('groups types for default checks', () => {
    const fam = (s: string) => {
      const r = parseColumnType(s);
      if (!r.ok) throw new Error(r.error);
      return typeFamily(r.type);
    };
    expect(['text', 'varchar(5)', 'char'].map(fam)).toEqual(['text', 'text', 'text']);
    expect(['smallint', 'int', 'bigint'].map(fam)).toEqual(['integer', 'integer', 'integer']);
    expect(['decimal(10,2)', 'real', 'float'].map(fam)).toEqual(['decimal', 'decimal', 'decimal']);
    expect(
      ['bool', 'date', 'timestamptz', 'interval', 'time', 'json', 'jsonb', 'blob', 'uuid', 'int[]'].map(fam),
    ).toEqual(['boolean', 'temporal', 'temporal', 'temporal', 'temporal', 'json', 'json', 'binary', 'uuid', 'array']);
  });

  it('formatColumnType round-trips through the parser', () => {
    const types: ColumnType[] = [
      { base: 'char', length: 4, arrayDims: 0 },
      { base: 'numeric', precision: 8, scale: 3, arrayDims: 2 },
      { base: 'double precision', arrayDims: 0 },
    ];
    for (const t of types) expect(parseColumnType(formatColumnType(t))).toEqual({ ok: true, type: t });
  });
});
