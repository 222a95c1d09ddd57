/**
 * SQL text as the safety review reads it: parsed with PostgreSQL's own parser (libpg-query) into
 * statements, each with its text and where it starts, and byte offsets (the parser's locations)
 * turned into 1-based lines and columns.
 */
import { parse } from 'libpg-query';

/** A node of libpg-query's tree (its JSON form). */
export type PgNode = Record<string, unknown>;

export interface ParsedStatement {
  /** The statement node: `{ AlterTableStmt: {...} }`. */
  node: PgNode;
  /** The statement's text, from its first token to its end (without the semicolon). */
  text: string;
  /** Byte offset of its first token in the source. */
  start: number;
}

/** The source cannot be parsed: the parser's message and the byte offset it points at. */
export class SqlSyntaxError extends Error {
  override name = 'SqlSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Positions in one source: byte offset to line and column (both 1-based, the column in characters). */
export class SourceText {
  readonly bytes: Buffer;
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lineStarts[lo]!;
    return { line: lo + 1, column: this.bytes.subarray(start, offset).toString('utf8').length + 1 };
  }

  slice(from: number, to: number): string {
    return this.bytes.subarray(from, to).toString('utf8');
  }
}

/** The byte offset of the first token at or after `offset`: whitespace and comments skipped. */
function firstToken(bytes: Buffer, offset: number, end: number): number {
  let i = offset;
  while (i < end) {
    const c = bytes[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) i++;
    else if (c === 0x2d && bytes[i + 1] === 0x2d) {
      while (i < end && bytes[i] !== 0x0a) i++;
    } else if (c === 0x2f && bytes[i + 1] === 0x2a) {
      const close = bytes.indexOf('*/', i + 2);
      i = close < 0 || close >= end ? end : close + 2;
    } else break;
  }
  return i;
}

/** Parses a source into statements; a syntax error is a SqlSyntaxError at the offset the parser names. */
export async function parseStatements(source: SourceText): Promise<ParsedStatement[]> {
  let tree: { stmts?: { stmt?: PgNode; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = (await parse(source.text)) as typeof tree;
  } catch (e) {
    const details = (e as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const chars = Math.max(0, details?.cursorPosition ?? 0);
    const offset = Buffer.byteLength(source.text.slice(0, chars), 'utf8');
    throw new SqlSyntaxError(details?.message ?? (e as Error).message, offset);
  }
  return (tree.stmts ?? []).map((s) => {
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len ? from + s.stmt_len : source.bytes.length;
    const start = firstToken(source.bytes, from, to);
    return { node: s.stmt ?? {}, text: source.slice(start, to).trim(), start };
  });
}
