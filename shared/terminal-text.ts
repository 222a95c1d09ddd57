/**
 * Text from workflows and databases made safe to print on a terminal. A workflow name, a node
 * type, a migration name or a database's error text can hold control characters (ESC sequences
 * that clear the screen or recolour it, BEL, a carriage return that overwrites the line, C1 CSI)
 * or bidirectional overrides that reorder what is shown; printed raw they act on the terminal.
 * Every text the CLI and the app's logs print goes through `terminalText` (`terminalJson` for
 * JSON output), so they are shown, escaped, instead.
 */
import { stringifyJson } from './json-text.ts';

/** C0 controls but newline and tab, DEL, C1 controls, and the bidirectional embedding, override and isolate marks. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {
  '\x1b': '\\e',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\0': '\\0',
};

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}

/**
 * `text` with each unsafe character shown as an escape: `\e` (ESC), `\r`, `\b`, `\f`, `\v`, `\0`,
 * `\xNN` for other C0, DEL and C1 controls, `\uNNNN` for the bidirectional marks. Newlines and
 * tabs are kept; everything else is unchanged.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * `value` as indented JSON safe for a terminal: JSON.stringify escapes C0 controls itself; DEL,
 * C1 controls and the bidirectional marks become `\u` escapes too (they occur only inside
 * strings), so the JSON reads back the very same value.
 */
export function terminalJson(value: unknown): string {
  return stringifyJson(value, 2).replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}
