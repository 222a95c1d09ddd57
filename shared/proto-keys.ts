/**
 * `__proto__` as a key of a param object. JSON.parse keeps it as an own key, but the objects the
 * app builds from it (a parsed record, a spread, an assignment) drop it or take it as their
 * prototype: a SwitchNode case or a `field_mapping` entry named so would vanish, and the message
 * would be about something else ("needs at least one case"). Validation refuses it by name.
 */

/** The paths (`cases.__proto__`, `field_mapping.__proto__`) of every `__proto__` key in `value`, under `field`. */
export function protoKeyPaths(value: unknown, field: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => protoKeyPaths(v, `${field}.${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === '__proto__' ? [`${field}.__proto__`] : []),
    ...protoKeyPaths(v, `${field}.${k}`),
  ]);
}

export const PROTO_KEY_MESSAGE =
  '"__proto__" cannot be a key: JavaScript objects give it a special meaning, so the entry would be lost; use another name (a SwitchNode routes such a value through its default)';
