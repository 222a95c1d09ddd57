/**
 * DataFlow `@db.model` classes as table definitions, following upstream DataFlow: the table is
 * the class name in snake_case plural (User -> users, OrderItem -> order_items, Category ->
 * categories, or `__tablename__`); each annotated field is a column (str text, int integer, bool
 * boolean, float real, datetime timestamp, dict/list jsonb; `Optional[T]` or a `None` default is
 * nullable, any other field NOT NULL; a literal default is the column default); `id` (an
 * identity primary key: the database numbers it), `created_at` and `updated_at` are added
 * automatically.
 */
import type { z } from 'zod';
import type { defaultValue } from '../nodes/description.ts';
import { readLiteral, type LiteralReader } from './literal.ts';
import { children, snippet, type PyNode } from './syntax.ts';

export type ColumnDefault = z.infer<typeof defaultValue>;

/** One column a model declares (or DataFlow adds: `implicit`). */
export interface ModelColumn {
  name: string;
  /** In the column type grammar of shared/column-type.ts. */
  type: string;
  nullable: boolean;
  /** Absent when the column has no default. */
  default?: ColumnDefault;
  primaryKey: boolean;
  /** Numbered by the database on insert (`identity` of create_table): DataFlow's `id`. */
  identity?: true;
  implicit: boolean;
}

/** One `@db.model` class. */
export interface ModelDefinition {
  /** The Python class name. */
  name: string;
  table: string;
  columns: ModelColumn[];
  /** 1-based line of the class in the imported file. */
  line: number;
}

/** The columns DataFlow adds to every model. */
export const IMPLICIT_COLUMNS: readonly ModelColumn[] = [
  { name: 'id', type: 'integer', nullable: false, primaryKey: true, identity: true, implicit: true },
  {
    name: 'created_at',
    type: 'timestamp',
    nullable: false,
    default: { sql: 'CURRENT_TIMESTAMP' },
    primaryKey: false,
    implicit: true,
  },
  {
    name: 'updated_at',
    type: 'timestamp',
    nullable: false,
    default: { sql: 'CURRENT_TIMESTAMP' },
    primaryKey: false,
    implicit: true,
  },
];

const PY_TYPES: Record<string, string> = {
  str: 'text',
  int: 'integer',
  bool: 'boolean',
  float: 'real',
  datetime: 'timestamp',
  date: 'date',
  Decimal: 'numeric',
  bytes: 'bytea',
  dict: 'jsonb',
  list: 'jsonb',
  Dict: 'jsonb',
  List: 'jsonb',
  Any: 'jsonb',
};

/** `User` -> `users`, `OrderItem` -> `order_items`, `Category` -> `categories`, `Address` -> `addresses`. */
export function tableNameFor(className: string): string {
  const snake = className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  if (/[^aeiou]y$/.test(snake)) return `${snake.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(snake)) return `${snake}es`;
  return `${snake}s`;
}

/** A problem found while reading a class, at a source offset. */
export interface ModelIssue {
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Reads a class body into a model definition; what it cannot read is reported and left out. */
export function readModelClass(
  classNode: PyNode,
  reader: LiteralReader,
  line: number,
): { model: ModelDefinition | null; issues: ModelIssue[] } {
  const src = reader.source;
  const issues: ModelIssue[] = [];
  const parts = children(classNode);
  const nameNode = parts.find((p) => p.name === 'VariableName');
  const body = parts.find((p) => p.name === 'Body');
  if (!nameNode || !body)
    return {
      model: null,
      issues: [{ offset: classNode.from, severity: 'error', message: 'incomplete class definition' }],
    };
  const name = src.slice(nameNode.from, nameNode.to);
  let table = tableNameFor(name);
  const declared: { column: ModelColumn; offset: number }[] = [];
  for (const stmt of children(body)) {
    if (stmt.name === ':' || stmt.name === 'PassStatement') continue;
    if (stmt.name === 'ExpressionStatement' && children(stmt).every((c) => c.name === 'String')) continue;
    if (stmt.name === 'AssignStatement') {
      const [target, second, third, fourth] = children(stmt);
      if (target?.name === 'VariableName' && second?.name === 'TypeDef') {
        const column = readField(src.slice(target.from, target.to), second, third, fourth, reader, issues);
        if (column) declared.push({ column, offset: stmt.from });
        continue;
      }
      if (
        target?.name === 'VariableName' &&
        src.slice(target.from, target.to) === '__tablename__' &&
        second?.name === 'AssignOp' &&
        third
      ) {
        const value = readLiteral(third, reader);
        if (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(value)) table = value;
        else
          issues.push({
            offset: third.from,
            severity: 'error',
            message: `model ${name}: __tablename__ must be a table name string`,
          });
        continue;
      }
    }
    const what =
      stmt.name === 'FunctionDefinition' || stmt.name === 'DecoratedStatement' ? 'a method' : snippet(stmt, src);
    issues.push({
      offset: stmt.from,
      severity: 'warning',
      message: `model ${name}: ${what} is not a field and is ignored (fields are written "name: type" or "name: type = default")`,
    });
  }
  const columns: ModelColumn[] = [IMPLICIT_COLUMNS[0]!];
  for (const { column: c, offset } of declared) {
    const i = columns.findIndex((x) => x.name === c.name);
    if (IMPLICIT_COLUMNS.some((x) => x.name === c.name)) {
      issues.push({
        offset,
        severity: 'warning',
        message: `model ${name}: field "${c.name}" is added by DataFlow itself; the declaration is ignored`,
      });
    } else if (i >= 0) {
      issues.push({
        offset,
        severity: 'warning',
        message: `model ${name}: field "${c.name}" is declared twice; the later one wins`,
      });
      columns[i] = c;
    } else columns.push(c);
  }
  columns.push(IMPLICIT_COLUMNS[1]!, IMPLICIT_COLUMNS[2]!);
  return { model: { name, table, columns, line }, issues };
}

function readField(
  name: string,
  typeDef: PyNode,
  assignOp: PyNode | undefined,
  valueNode: PyNode | undefined,
  reader: LiteralReader,
  issues: ModelIssue[],
): ModelColumn | null {
  const annotation = children(typeDef)[1];
  const mapped = annotation && columnTypeOf(annotation, reader.source);
  if (!mapped || 'error' in mapped) {
    issues.push({
      offset: (annotation ?? typeDef).from,
      severity: 'error',
      message: `field "${name}": ${mapped && 'error' in mapped ? mapped.error : 'missing type'}; use str, int, bool, float, datetime, dict or list, optionally Optional[...]`,
    });
    return null;
  }
  const column: ModelColumn = {
    name,
    type: mapped.type,
    nullable: mapped.nullable,
    primaryKey: false,
    implicit: false,
  };
  if (assignOp?.name === 'AssignOp' && valueNode) {
    const before = reader.issues.length;
    const value = readLiteral(valueNode, reader, name);
    for (const issue of reader.issues.splice(before)) {
      issues.push({
        offset: issue.offset,
        severity: 'error',
        message: `field "${name}": the default ${issue.message}`,
      });
    }
    if (value === null) column.nullable = true;
    else if (value !== undefined) column.default = typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return column;
}

/** Maps a type annotation to a column type; `Optional[T]`, `Union[T, None]` and `T | None` are nullable. */
export function columnTypeOf(node: PyNode, src: string): { type: string; nullable: boolean } | { error: string } {
  const text = (n: PyNode) => src.slice(n.from, n.to);
  const unknown = { error: `type ${snippet(node, src)} has no column type` };
  const isNone = (n: PyNode) => n.name === 'None';
  if (node.name === 'VariableName') {
    const type = PY_TYPES[text(node)];
    return type ? { type, nullable: false } : unknown;
  }
  if (node.name === 'BinaryExpression') {
    const parts = children(node).filter((c) => c.name !== 'BitOp');
    const notNone = parts.filter((p) => !isNone(p));
    if (notNone.length !== 1 || parts.length !== 2 || !children(node).some((c) => text(c) === '|')) return unknown;
    const inner = columnTypeOf(notNone[0]!, src);
    return 'error' in inner ? inner : { type: inner.type, nullable: true };
  }
  if (node.name === 'MemberExpression') {
    const parts = children(node);
    const head = parts[0];
    if (!head) return unknown;
    const dotted = parts[1]?.name === '.' && parts[2]?.name === 'PropertyName';
    if (dotted) {
      const member = text(parts[2]!);
      if (parts.length === 3) return PY_TYPES[member] ? { type: PY_TYPES[member]!, nullable: false } : unknown;
      return unknown;
    }
    const headName = head.name === 'MemberExpression' ? text(children(head)[2] ?? head) : text(head);
    const args = parts.slice(2, -1).filter((p) => p.name !== ',');
    if (headName === 'Optional' && args.length === 1) {
      const inner = columnTypeOf(args[0]!, src);
      return 'error' in inner ? inner : { type: inner.type, nullable: true };
    }
    if (headName === 'Union') {
      const notNone = args.filter((a) => !isNone(a));
      if (notNone.length !== 1) return { error: `type ${snippet(node, src)} is a union of several types` };
      const inner = columnTypeOf(notNone[0]!, src);
      return 'error' in inner ? inner : { type: inner.type, nullable: notNone.length < args.length || inner.nullable };
    }
    if (['list', 'List', 'dict', 'Dict'].includes(headName)) return { type: 'jsonb', nullable: false };
    return unknown;
  }
  return unknown;
}
