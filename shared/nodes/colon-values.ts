/**
 * The message for a name written with a leading `:` where the param's schema wants a name: `:`
 * means "read from the node's input" (`":name"`), so the plain identifier message ("must be an
 * identifier") would not tell the user why `":users"` or `":x; drop"` is wrong. It names the
 * field by its form label and says how to write it.
 */
import type { NodeDescription } from './description.ts';

/** The form label of param `name` of a node type, or the name itself when the form has no field for it. */
export function fieldLabel(desc: Pick<NodeDescription, 'fields'>, name: string): string {
  return desc.fields.find((f) => f.name === name)?.label ?? name;
}

/**
 * The message for value `value` at `path` of a node's params when it starts with `:` and the
 * schema refused it, or undefined for any other value. A whole param (`path` of one name) is a
 * reference only in the form `":name"` (validation leaves those to run time); a value inside a
 * param (a column of a list, a field of an object) is never read from the input.
 */
export function colonValueMessage(
  desc: Pick<NodeDescription, 'fields'>,
  path: readonly PropertyKey[],
  value: unknown,
): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(':') || path.length === 0) return undefined;
  const label = fieldLabel(desc, String(path[0]));
  const plain = value.slice(1);
  const write = `write the name itself, without ":" (a letter or _, then letters, digits, _ or $)`;
  if (path.length > 1)
    return `${label} holds ${JSON.stringify(value)}: a value starting with ":" reads from the node's input only as a whole param, never inside ${label}; ${write}`;
  return `${label} is ${JSON.stringify(value)}: a value starting with ":" reads from the node's input, but ${JSON.stringify(plain)} is not an input name (a letter or _, then letters, digits, _ or .); ${write}, or ":name" to read the name from the input`;
}
