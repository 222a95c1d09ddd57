/** Reading libpg-query's JSON tree: typed accessors for the few shapes the safety rules look at. */
import { formatColumnType, parseColumnType } from '../../../../shared/column-type.ts';
import type { PgNode } from './source.ts';

export const isNode = (v: unknown): v is PgNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `node[key]` when it is an object. */
export function child(node: unknown, key: string): PgNode | undefined {
  const v = isNode(node) ? node[key] : undefined;
  return isNode(v) ? v : undefined;
}

export function list(node: unknown, key: string): PgNode[] {
  const v = isNode(node) ? node[key] : undefined;
  return Array.isArray(v) ? v.filter(isNode) : [];
}

export function text(node: unknown, key: string): string | undefined {
  const v = isNode(node) ? node[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function num(node: unknown, key: string): number | undefined {
  const v = isNode(node) ? node[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

/** The strings of a list of `{String: {sval}}` nodes (a qualified name, a column list). */
export function strings(items: PgNode[]): string[] {
  return items.map((i) => text(child(i, 'String'), 'sval') ?? '').filter((s) => s !== '');
}

/** The name of a RangeVar (the table a statement names), without its schema. */
export function relname(rangeVar: unknown): string {
  return text(rangeVar, 'relname') ?? '';
}

/** The only key of a one-key node (`{Constraint: {...}}` is "Constraint"). */
export function kindOf(node: PgNode): string {
  return Object.keys(node)[0] ?? '';
}

/** The catalogue names of a TypeName as the type grammar spells them. */
const GRAMMAR_NAME: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** The last name of a TypeName (`int4`, `varchar`, `serial`, `my_enum`), lower case as the parser keeps it. */
export function typeNameOf(typeName: unknown): string {
  const names = strings(list(typeName, 'names'));
  return names[names.length - 1] ?? '';
}

/** The integer modifiers of a TypeName (`varchar(20)` is [20], `numeric(10,2)` is [10, 2]). */
export function typeMods(typeName: unknown): number[] {
  return list(typeName, 'typmods').map((m) => num(child(child(m, 'A_Const'), 'ival'), 'ival') ?? 0);
}

/**
 * A TypeName as text of the column type grammar (`varchar(20)`, `numeric(10,2)`, `integer[]`),
 * or its plain name when the grammar has no such type (an enum, a domain).
 */
export function typeText(typeName: unknown): string {
  const name = typeNameOf(typeName);
  const mods = typeMods(typeName);
  const arrays = list(typeName, 'arrayBounds').length;
  const raw = `${GRAMMAR_NAME[name] ?? name}${mods.length ? `(${mods.join(',')})` : ''}${'[]'.repeat(arrays)}`;
  const parsed = parseColumnType(raw);
  return parsed.ok ? formatColumnType(parsed.type) : raw;
}

/** Every node of the given kind inside `value` (depth first). */
export function findAll(value: unknown, kind: string, into: PgNode[] = []): PgNode[] {
  if (Array.isArray(value)) {
    for (const v of value) findAll(v, kind, into);
  } else if (isNode(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === kind && isNode(v)) into.push(v);
      findAll(v, kind, into);
    }
  }
  return into;
}

/** The lower-case names of the functions a tree calls. */
export function calledFunctions(value: unknown): string[] {
  return findAll(value, 'FuncCall').map((f) => {
    const names = strings(list(f, 'funcname'));
    return (names[names.length - 1] ?? '').toLowerCase();
  });
}
