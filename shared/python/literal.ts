/**
 * Python literals both ways: reading a literal from the syntax tree into a JSON value (str in
 * every quote form with escapes and adjacent-string concatenation, int, float, True/False/None,
 * dict, list, tuple as list), with names of constants bound earlier, f-strings of constants and
 * dict merges (`{**base, ...}`, `a | b`); and writing a JSON value as readable Python source.
 */
import { bracketItems, children, snippet, type PyNode } from './syntax.ts';

/** A JSON value: what a Python literal becomes (an int beyond 2^53 as an exact BigInt). */
export type PyValue = null | boolean | number | bigint | string | PyValue[] | { [key: string]: PyValue };

/** Why part of a literal could not be read. `placeholder` marks the guide's `...` / `{...}`. */
export interface LiteralIssue {
  offset: number;
  /** Path of the value inside the literal (`cases.pending`, `columns.0`); empty for the whole. */
  path: string;
  kind: 'placeholder' | 'non-literal' | 'syntax';
  message: string;
}

/** Module-level names bound to constant values (`TABLE = "users"`), by name. */
export type PyConstants = ReadonlyMap<string, PyValue>;

export interface LiteralReader {
  source: string;
  issues: LiteralIssue[];
  /** Offset of every dict entry and list item read, by path. */
  offsets: Map<string, number>;
  /** The names a value may use; a name not in it is not a literal. */
  constants: PyConstants;
}

export function literalReader(source: string, constants: PyConstants = new Map()): LiteralReader {
  return { source, issues: [], offsets: new Map(), constants };
}

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

/**
 * Reads the literal at `node` (a node free of parse errors). Returns undefined (with an issue
 * recorded) when the value is not a literal; inside a dict or list such a value is left out and
 * the rest is kept.
 */
export function readLiteral(node: PyNode, r: LiteralReader, path = ''): PyValue | undefined {
  const fail = (kind: LiteralIssue['kind'], message: string, at: PyNode = node): undefined => {
    r.issues.push({ offset: at.from, path, kind, message });
    return undefined;
  };
  switch (node.name) {
    case 'String':
      return readString(node, r, fail);
    case 'FormatString':
      return readFormatString(node, r, fail, path);
    case 'VariableName': {
      const name = r.source.slice(node.from, node.to);
      if (r.constants.has(name)) return structuredClone(r.constants.get(name)!);
      return fail(
        'non-literal',
        `${name} is not a constant assigned above; assign it a literal at module level before this line (${name} = "...") or write the value itself`,
      );
    }
    case 'BinaryExpression': {
      const [left, op, right] = children(node);
      if (!left || !right || op?.name !== 'BitOp' || r.source.slice(op.from, op.to) !== '|') break;
      const a = readLiteral(left, r, path);
      const b = readLiteral(right, r, path);
      if (a === undefined || b === undefined) return undefined;
      if (!isDict(a) || !isDict(b)) return fail('non-literal', 'merges with | only dicts');
      return merge(a, b);
    }
    case 'ContinuedString': {
      let text = '';
      for (const part of children(node)) {
        const s = readString(part, r, fail);
        if (s === undefined) return undefined;
        text += s;
      }
      return text;
    }
    case 'Number':
      return readNumber(r.source.slice(node.from, node.to), fail);
    case 'UnaryExpression': {
      const [op, operand] = children(node);
      const sign = op && r.source.slice(op.from, op.to);
      if (!operand || (sign !== '-' && sign !== '+')) break;
      const v = readLiteral(operand, r, path);
      if (v === undefined) return undefined;
      if (typeof v !== 'number' && typeof v !== 'bigint')
        return fail('non-literal', `"${sign}" applies only to numbers`);
      return sign === '-' ? -v : v;
    }
    case 'Boolean':
      return r.source.slice(node.from, node.to) === 'True';
    case 'None':
      return null;
    case 'ParenthesizedExpression': {
      const inner = children(node)[1];
      return inner ? readLiteral(inner, r, path) : fail('syntax', 'empty parentheses');
    }
    case 'ArrayExpression':
    case 'TupleExpression': {
      const out: PyValue[] = [];
      for (const item of bracketItems(node)) {
        const [first] = item;
        if (!first) continue;
        const itemPath = join(path, out.length);
        if (item.length !== 1) {
          r.issues.push({
            offset: first.from,
            path: itemPath,
            kind: 'non-literal',
            message: `${snippet(first, r.source)} is not a literal`,
          });
          continue;
        }
        r.offsets.set(itemPath, first.from);
        const v = readLiteral(first, r, itemPath);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case 'DictionaryExpression':
      return readDict(node, r, path);
    case 'SetExpression': {
      const items = bracketItems(node);
      if (items.length === 1 && items[0]!.length === 1 && items[0]![0]!.name === 'Ellipsis') {
        return fail('placeholder', 'is a placeholder {...}, not a value: write the params out');
      }
      return fail('non-literal', 'is a set; write a list [...] or a dict {"key": value}');
    }
    case 'Ellipsis':
      return fail('placeholder', 'is a placeholder (...), not a value: write the value out');
  }
  return fail(
    'non-literal',
    `${snippet(node, r.source)} is not a literal: write the value itself (a string, number, True/False/None, list or dict)`,
  );
}

const isDict = (v: PyValue): v is { [key: string]: PyValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `a | b` and `{**a, **b}`: the keys of both, the later value winning. */
function merge(into: { [key: string]: PyValue }, from: { [key: string]: PyValue }): { [key: string]: PyValue } {
  const out = { ...into };
  for (const [key, value] of Object.entries(from))
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function readDict(node: PyNode, r: LiteralReader, path: string): PyValue {
  let out: Record<string, PyValue> = {};
  for (const item of bracketItems(node)) {
    const [keyNode, colon, valueNode] = item;
    if (!keyNode) continue;
    if (keyNode.name === '**' && colon && item.length === 2) {
      const spread = readLiteral(colon, r, path);
      if (spread === undefined) continue;
      if (!isDict(spread)) {
        r.issues.push({
          offset: colon.from,
          path,
          kind: 'non-literal',
          message: `**${snippet(colon, r.source)} is not a dict`,
        });
        continue;
      }
      out = merge(out, spread);
      continue;
    }
    if (keyNode.name === '**' || colon?.name !== ':' || !valueNode || item.length !== 3) {
      r.issues.push({
        offset: keyNode.from,
        path,
        kind: 'non-literal',
        message: `${snippet(keyNode, r.source)} is not a "key": value entry`,
      });
      continue;
    }
    const keyIssues = r.issues.length;
    const key = readLiteral(keyNode, r, path);
    if (key === undefined) continue;
    if (typeof key !== 'string') {
      r.issues.splice(keyIssues);
      r.issues.push({
        offset: keyNode.from,
        path,
        kind: 'non-literal',
        message: `key ${snippet(keyNode, r.source)} must be a string`,
      });
      continue;
    }
    const entryPath = join(path, key);
    if (Object.hasOwn(out, key)) {
      r.issues.push({
        offset: keyNode.from,
        path: entryPath,
        kind: 'non-literal',
        message: `key "${key}" appears twice; the later value wins in Python, so remove one`,
      });
    }
    r.offsets.set(entryPath, keyNode.from);
    const v = readLiteral(valueNode, r, entryPath);
    if (v === undefined) delete out[key];
    else Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

type Fail = (kind: LiteralIssue['kind'], message: string, at?: PyNode) => undefined;

function readString(node: PyNode, r: LiteralReader, fail: Fail): string | undefined {
  if (node.name === 'FormatString') return readFormatString(node, r, fail);
  if (node.name !== 'String') return fail('non-literal', `${snippet(node, r.source)} is not a string`, node);
  const decoded = decodeString(r.source.slice(node.from, node.to));
  return decoded.ok ? decoded.value : fail(decoded.kind, decoded.message, node);
}

/**
 * An f-string whose replacement fields are constants (`f"{TABLE}_archive"`): the text parts
 * decoded like a string, each field written as Python's str() writes a string, number or bool.
 */
function readFormatString(node: PyNode, r: LiteralReader, fail: Fail, path = ''): string | undefined {
  const token = r.source.slice(node.from, node.to);
  const prefix = /^[A-Za-z]*/.exec(token)![0];
  const quote = token.slice(
    prefix.length,
    token.startsWith(token[prefix.length]!.repeat(3), prefix.length) ? prefix.length + 3 : prefix.length + 1,
  );
  const plain = prefix.replace(/[fF]/g, '');
  const text = (from: number, to: number) => {
    const raw = r.source.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    return decodeString(`${plain}${quote}${raw}${quote}`);
  };
  let out = '';
  let at = node.from + prefix.length + quote.length;
  for (const field of children(node)) {
    if (field.name !== 'FormatReplacement') continue;
    const part = text(at, field.from);
    if (!part.ok) return fail(part.kind, part.message, node);
    out += part.value;
    at = field.to;
    const inner = children(field).filter((c) => c.name !== '{' && c.name !== '}');
    if (inner.length !== 1)
      return fail(
        'non-literal',
        `${snippet(field, r.source)}: an f-string field here is a constant name, without conversion or format spec`,
        field,
      );
    const value = readLiteral(inner[0]!, r, path);
    if (value === undefined) return undefined;
    if (value === null || typeof value === 'object')
      return fail(
        'non-literal',
        `${snippet(inner[0]!, r.source)} in an f-string must be a string, number or bool`,
        field,
      );
    out += typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  }
  const rest = text(at, node.to - quote.length);
  if (!rest.ok) return fail(rest.kind, rest.message, node);
  return out + rest.value;
}

/** Decodes one Python string token (prefix, quotes, body) into its value. */
export function decodeString(
  token: string,
): { ok: true; value: string } | { ok: false; kind: 'non-literal' | 'syntax'; message: string } {
  const prefix = /^[A-Za-z]*/.exec(token)![0];
  const p = prefix.toLowerCase();
  if (p.includes('b'))
    return { ok: false, kind: 'non-literal', message: 'is a bytes literal; write a str (no b prefix)' };
  if (p.includes('f'))
    return {
      ok: false,
      kind: 'non-literal',
      message: 'is an f-string, computed when the code runs: write the text itself',
    };
  const q = token[prefix.length];
  if (q !== '"' && q !== "'") return { ok: false, kind: 'syntax', message: 'is not a string' };
  const triple = token.startsWith(q.repeat(3), prefix.length) && token.length >= prefix.length + 6;
  const ql = triple ? 3 : 1;
  const body = token.slice(prefix.length + ql, token.length - ql).replace(/\r\n?/g, '\n');
  if (p.includes('r')) return { ok: true, value: body };
  return unescape(body);
}

const SIMPLE: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function unescape(
  body: string,
): { ok: true; value: string } | { ok: false; kind: 'syntax' | 'non-literal'; message: string } {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return { ok: false, kind: 'syntax', message: 'ends with a lone backslash' };
    const simple = SIMPLE[e];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(hex)) {
        return {
          ok: false,
          kind: 'syntax',
          message: `has a bad escape \\${e}${hex}: it needs ${hexLength} hex digits`,
        };
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff)
        return { ok: false, kind: 'syntax', message: `has an escape \\${e}${hex} beyond the last Unicode character` };
      out += e === 'U' ? String.fromCodePoint(code) : String.fromCharCode(code);
      i += 1 + hexLength;
      continue;
    }
    if (e === 'N')
      return {
        ok: false,
        kind: 'non-literal',
        message: 'uses a named escape \\N{...}; write the character itself or \\uXXXX',
      };
    out += `\\${e}`;
    i += 1;
  }
  return { ok: true, value: out };
}

/** A Python number; an int beyond 2^53 is a BigInt with its exact value, as shared/json-text.ts reads JSON. */
function readNumber(text: string, fail: Fail): number | bigint | undefined {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return fail('non-literal', `${text} is a complex number; use an int or a float`);
  const radix = /^0[xX]/.test(t) ? 16 : /^0[oO]/.test(t) ? 8 : /^0[bB]/.test(t) ? 2 : 10;
  if (radix !== 10 || /^\d+$/.test(t)) {
    const exact = BigInt(radix === 10 ? t : `0${'xob'[[16, 8, 2].indexOf(radix)]}${t.slice(2)}`);
    const n = Number(exact);
    return Number.isSafeInteger(n) ? n : exact;
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : fail('non-literal', `${text} is too large for a number`);
}

/** Options for writing Python. */
export interface RenderOptions {
  /** Indentation of the line the value starts on, in spaces. */
  indent?: number;
  /** Lines longer than this are broken up. Default 100. */
  width?: number;
}

/**
 * A JSON value as Python source: dicts one entry per line (4-space indent), short lists of
 * scalars on one line, multi-line strings as triple-quoted blocks. Reading it back with
 * `readLiteral` gives the same value.
 */
export function renderPython(value: unknown, options: RenderOptions = {}): string {
  return render(value, options.indent ?? 0, options.width ?? 100);
}

function render(value: unknown, indent: number, width: number): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return renderNumber(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return renderString(value);
  const pad = ' '.repeat(indent + 4);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((v) => render(v, indent, width)).join(', ')}]`;
    if (
      !inline.includes('\n') &&
      indent + inline.length <= width &&
      value.every((v) => v === null || typeof v !== 'object')
    )
      return inline;
    return `[\n${value.map((v) => `${pad}${render(v, indent + 4, width)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${pad}${renderString(k)}: ${render(v, indent + 4, width)},`).join('\n')}\n${' '.repeat(indent)}}`;
  }
  throw new TypeError(`cannot write ${typeof value} as a Python literal`);
}

function renderNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} has no Python literal; workflow params hold finite numbers only`);
  if (Object.is(n, -0)) return '-0.0';
  return String(n);
}

/** Characters written as escapes: controls, line and paragraph separators, the BOM. */
const needsEscape = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function escapeChar(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text with control characters, separators and lone surrogates written as \\x / \\u escapes (for comments). */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (isHigh(code) && isLow(s.charCodeAt(i + 1))) {
      out += s.slice(i, i + 2);
      i += 1;
    } else out += isHigh(code) || isLow(code) || needsEscape(code) ? escapeChar(code) : s[i];
  }
  return out;
}

function renderString(s: string): string {
  const multiline = s.includes('\n') && s.length > 1;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += multiline && i < s.length - 1 && s[i + 1] !== '"' ? '"' : '\\"';
    else if (multiline && (ch === '\n' || ch === '\t')) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (isHigh(code) && isLow(s.charCodeAt(i + 1))) {
      out += s.slice(i, i + 2);
      i += 1;
    } else if (isHigh(code) || isLow(code) || needsEscape(code)) out += escapeChar(code);
    else out += ch;
  }
  return multiline ? `"""\\\n${out}"""` : `"${out}"`;
}
