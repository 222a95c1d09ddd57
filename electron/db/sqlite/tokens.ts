/**
 * Token helpers for reading the DDL SQLite stores (CREATE TABLE / INDEX / VIEW / TRIGGER text in
 * sqlite_master), over the shared lexer. Comments are dropped; every token keeps its source
 * offsets so callers can cut exact spans out of the original text.
 */
import { tokenize, type Token } from '../../../shared/sql-expression.ts';

export type { Token };

/** Tokens of `sql` without comments. */
export function sqlTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'comment');
}

/** True when the token is the bare keyword `word` (case-insensitive). */
export function isWord(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'word' && words.includes(t.value.toUpperCase());
}

export function isLparen(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'lparen';
}

/** True for tokens that name something (bare word or quoted identifier). */
export function isName(t: Token | undefined): t is Token {
  return t !== undefined && (t.kind === 'word' || t.kind === 'quoted');
}

/** The name a token stands for, in the case it was written. */
export function nameOf(t: Token | undefined): string {
  if (!t) return '';
  return t.kind === 'word' ? t.text : t.value;
}

/** True when the token names `name` (SQLite compares identifiers case-insensitively). */
export function namesIt(t: Token | undefined, name: string): boolean {
  return isName(t) && nameOf(t).toLowerCase() === name.toLowerCase();
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const kind = tokens[k]?.kind;
    if (kind === 'lparen') depth++;
    else if (kind === 'rparen' && --depth === 0) return k;
  }
  return -1;
}

/** Splits tokens[from, to) at top-level commas into [start, end) ranges. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    const kind = tokens[k]?.kind;
    if (kind === 'lparen') depth++;
    else if (kind === 'rparen') depth--;
    else if (depth === 0 && kind === 'comma') {
      parts.push([start, k]);
      start = k + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

/** The source text covered by tokens[from, to). */
export function spanText(sql: string, tokens: readonly Token[], from: number, to: number): string {
  const a = tokens[from];
  const b = tokens[to - 1];
  return a && b && to > from ? sql.slice(a.start, b.end) : '';
}

/** Distinct names (as written) of the identifiers in `sql`, matched against `names` case-insensitively. */
export function referencedNames(sql: string, names: readonly string[]): string[] {
  return referencedNamesIn(sql, new Map(names.map((n) => [n.toLowerCase(), n])));
}

/** referencedNames with the names given by their lower-case form (built once for many calls). */
export function referencedNamesIn(sql: string, byLower: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const t of sqlTokens(sql)) {
    const n = isName(t) ? byLower.get(nameOf(t).toLowerCase()) : undefined;
    if (n !== undefined && !out.includes(n)) out.push(n);
  }
  return out;
}
