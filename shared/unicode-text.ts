/**
 * Characters no database stores in text, which would change or break a value silently:
 * - a lone surrogate, a UTF-16 surrogate code unit without its pair (`"x\ud800y"` is valid JSON and
 *   a valid JavaScript string, but not valid Unicode): PostgreSQL keeps a replacement character
 *   instead, SQLite three bytes of one;
 * - NUL (U+0000): PostgreSQL refuses it in text and JSON, SQLite cuts text at it in most functions.
 * Validation refuses them in every string of a node's params (keys included) and in the
 * workflow's own texts, naming the field and the character's position.
 */

/** An unstorable character found: the field's path (`default_value`, `metadata.description`), its 1-based character position, its code unit. */
export interface UnstorableCharacter {
  field: string;
  position: number;
  code: number;
}

/** NUL, or a surrogate code unit that is not half of a pair (in `u` mode a pair reads as one code point). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /[\u0000\ud800-\udfff]/u;

/** The 1-based character position and code unit of the first unstorable character in `text`, or null. */
function firstUnstorable(text: string): { position: number; code: number } | null {
  const m = UNSTORABLE.exec(text);
  return m ? { position: [...text.slice(0, m.index)].length + 1, code: text.charCodeAt(m.index) } : null;
}

/** The first unstorable character of each string in `value` (object keys and array items included), with its path under `field`. */
export function unstorableCharacters(value: unknown, field: string): UnstorableCharacter[] {
  if (typeof value === 'string') {
    const found = firstUnstorable(value);
    return found ? [{ field, ...found }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableCharacters(v, `${field}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const key = firstUnstorable(k);
      const keyProblem = key ? [{ field: `${field}.${k}`, ...key }] : [];
      return [...keyProblem, ...unstorableCharacters(v, `${field}.${k}`)];
    });
  }
  return [];
}

/** What to tell the user about an unstorable character (the field is named by the problem). */
export function unstorableMessage(found: UnstorableCharacter): string {
  if (found.code === 0)
    return (
      `holds a NUL character (\\0) at character ${found.position}, which no database stores in text ` +
      '(PostgreSQL refuses it, SQLite cuts the text there); remove it'
    );
  const hex = found.code.toString(16).padStart(4, '0');
  return (
    `holds a lone surrogate (\\u${hex}) at character ${found.position}, which is not valid Unicode: ` +
    'the database would store a replacement character instead; remove it, or write the whole character (both halves of its surrogate pair)'
  );
}
