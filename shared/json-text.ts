/**
 * JSON text with exact big integers. `JSON.parse` reads every number as a double, so
 * 9007199254740993 becomes 9007199254740992, and Node 20 gives a reviver no source text to recover
 * it from (the reviver's `context.source` argument came after Node 20). `parseJson` reads an
 * integer written without fraction or exponent whose value a double cannot hold exactly (beyond
 * ±(2^53 - 1)) as a BigInt with the same digits; every other value is what `JSON.parse` gives.
 * Text without a run of 16 digits (every ordinary workflow) is read by `JSON.parse` alone.
 * `stringifyJson` writes a BigInt back as those digits, so a workflow file keeps its text, and
 * ordinary numbers are written as `JSON.stringify` writes them.
 *
 * Every path a workflow is read by goes through `parseJson` (the file loaders of the CLI, the
 * host, the run worker and the editor, the inspector's JSON fields), and every path that writes
 * one, or writes values taken from one, through `stringifyJson`.
 */

/** A run of 16 digits: text without one holds no unsafe integer, and takes JSON.parse's native path. */
const LONG_DIGITS = /\d{16}/;

/** `JSON.parse`, with integers beyond the safe range read as exact BigInts. Throws JSON.parse's own errors. */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!LONG_DIGITS.test(text)) return value;
  // Valid JSON (JSON.parse accepted it): each unsafe integer becomes a marked string, which is
  // then replaced by the BigInt of its digits. The marker's nonce keeps a user's string from
  // passing for one.
  const spans = unsafeIntegers(text);
  if (spans.length === 0) return value;
  const tag = `bigint${Math.random().toString(36).slice(2)}:`;
  let marked = '';
  let at = 0;
  for (const [start, end] of spans) {
    marked += `${text.slice(at, start)}"\\u0000${tag}${text.slice(start, end)}"`;
    at = end;
  }
  marked += text.slice(at);
  return unmark(JSON.parse(marked), `\u0000${tag}`);
}

const QUOTE = 34;
const BACKSLASH = 92;

/** Where the number tokens of valid JSON `text` that are integers beyond the safe range are, as [start, end). */
function unsafeIntegers(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      while (text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      let integer = true;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) continue;
        if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) integer = false;
        else break;
      }
      if (integer && i - start >= 16 && !Number.isSafeInteger(Number(text.slice(start, i)))) spans.push([start, i]);
    } else i++;
  }
  return spans;
}

/** `value` with every string that begins with `marker` replaced by the BigInt of the digits after it. */
function unmark(value: unknown, marker: string): unknown {
  if (typeof value === 'string') return value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unmark(value[i], marker);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = unmark(o[k], marker);
  }
  return value;
}

/**
 * `JSON.stringify(value, null, space)`, with each BigInt written as its digits (a bare number,
 * as it was read) instead of throwing.
 */
export function stringifyJson(value: unknown, space?: number): string {
  let big = false;
  const marker = `\u0000bigint${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      big = true;
      return `${marker}${v}`;
    },
    space,
  );
  if (!big) return text;
  const quoted = JSON.stringify(marker).slice(0, -1);
  return text.replace(new RegExp(`${escapeRegExp(quoted)}(-?\\d+)"`, 'g'), '$1');
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
