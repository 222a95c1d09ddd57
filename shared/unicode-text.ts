/**
 * Lone surrogates: a UTF-16 surrogate code unit without its pair (`"x\ud800y"` is valid JSON and a
 * valid JavaScript string, but not valid Unicode). No database stores one: PostgreSQL keeps a
 * replacement character instead, SQLite three bytes of one, so the value would change silently.
 * Validation refuses them in every string of a node's params (keys included) and in the
 * workflow's own texts, naming the field and the character's position.
 */

/** A lone surrogate found: the field's path (`default_value`, `metadata.description`), its 1-based character position, its code unit. */
export interface LoneSurrogate {
  field: string;
  position: number;
  code: number;
}

/** A surrogate code unit that is not half of a pair (in `u` mode a pair reads as one code point). */
const LONE = /[\ud800-\udfff]/u;

/** The 1-based character position and code unit of the first lone surrogate in `text`, or null. */
function firstLone(text: string): { position: number; code: number } | null {
  const m = LONE.exec(text);
  return m ? { position: [...text.slice(0, m.index)].length + 1, code: text.charCodeAt(m.index) } : null;
}

/** The first lone surrogate of each string in `value` (object keys and array items included), with its path under `field`. */
export function loneSurrogates(value: unknown, field: string): LoneSurrogate[] {
  if (typeof value === 'string') {
    const found = firstLone(value);
    return found ? [{ field, ...found }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => loneSurrogates(v, `${field}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const key = firstLone(k);
      const keyProblem = key ? [{ field: `${field}.${k}`, ...key }] : [];
      return [...keyProblem, ...loneSurrogates(v, `${field}.${k}`)];
    });
  }
  return [];
}

/** What to tell the user about a lone surrogate (the field is named by the problem). */
export function loneSurrogateMessage(found: LoneSurrogate): string {
  const hex = found.code.toString(16).padStart(4, '0');
  return (
    `holds a lone surrogate (\\u${hex}) at character ${found.position}, which is not valid Unicode: ` +
    'the database would store a replacement character instead; remove it, or write the whole character (both halves of its surrogate pair)'
  );
}
