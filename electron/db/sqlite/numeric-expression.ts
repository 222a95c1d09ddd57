/**
 * Whether a SQLite expression is arithmetic at its top level, so its value is an integer, a real
 * or NULL whatever its operands hold: SQLite's `+ - * / %` convert text and blobs to numbers and
 * never yield text. `assignedValue` (render.ts) then rounds such a value into a decimal column
 * with a plain `round()`, without the per-row subquery that keeps a text value as it is.
 *
 * The check is on tokens and errs towards "no": operands are numbers, strings, columns (`a`,
 * `t.a`, `"a"`), calls `f(...)` and parenthesised groups (whatever they hold), each after any
 * unary `+`/`-`; they must be joined by at least one binary `+ - * / %` and by nothing else: no
 * `||`, comparison, keyword (CASE, COLLATE, IS, AND...), parameter or `::`, outside the groups.
 */
import { tokenize, type Token } from '../../../shared/sql-expression.ts';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

/** Index of the `rparen` closing the `lparen` at `open`, or -1. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.kind === 'lparen') depth++;
    else if (tokens[i]!.kind === 'rparen' && --depth === 0) return i;
  }
  return -1;
}

/** The index after the operand starting at `i`, or -1 when none starts there. */
function operandEnd(tokens: Token[], i: number): number {
  const t = tokens[i];
  if (!t) return -1;
  if (t.kind === 'number' || t.kind === 'string') return i + 1;
  if (t.kind === 'lparen') {
    const end = closing(tokens, i);
    return end < 0 ? -1 : end + 1;
  }
  if (t.kind !== 'word' && t.kind !== 'quoted') return -1;
  const next = tokens[i + 1];
  if (t.kind === 'word' && next?.kind === 'lparen') {
    const end = closing(tokens, i + 1);
    return end < 0 ? -1 : end + 1;
  }
  if (next?.kind === 'dot') {
    const column = tokens[i + 2];
    return column && (column.kind === 'word' || column.kind === 'quoted') ? i + 3 : -1;
  }
  return i + 1;
}

/** True when `expr` is operands joined at its top level by binary `+ - * / %` only (see above). */
export function isArithmetic(expr: string): boolean {
  let tokens = tokenize(expr).filter((t) => t.kind !== 'comment');
  if (tokens.some((t) => t.kind === 'error')) return false;
  while (tokens.length > 0 && tokens[0]!.kind === 'lparen' && closing(tokens, 0) === tokens.length - 1)
    tokens = tokens.slice(1, -1);
  let i = 0;
  let joins = 0;
  for (;;) {
    while (tokens[i]?.kind === 'operator' && (tokens[i]!.text === '+' || tokens[i]!.text === '-')) i++;
    i = operandEnd(tokens, i);
    if (i < 0) return false;
    if (i === tokens.length) return joins > 0;
    const op = tokens[i]!;
    if (op.kind !== 'operator' || !ARITHMETIC.has(op.text)) return false;
    joins++;
    i++;
  }
}
