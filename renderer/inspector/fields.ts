/** What the inspector form needs from a node type: effective values, show-when, defaults, errors per field. */
import * as z from 'zod';
import { paramShape, type FieldHint, type NodeDescription } from '../../shared/nodes/index.ts';
import type { WorkflowProblem } from '../../shared/workflow.ts';
import { parseJson, stringifyJson } from '../../shared/json-text.ts';

/** The schema's default for a param, when it declares one (`batch_size` 1000). */
export function schemaDefault(desc: NodeDescription, name: string): unknown {
  const field = paramShape(desc.params)[name];
  return field instanceof z.ZodDefault ? (field.def.defaultValue as unknown) : undefined;
}

/** A param's value as the node will use it: set, else the schema default, else a select's first option. */
export function effectiveValue(desc: NodeDescription, params: Record<string, unknown>, name: string): unknown {
  if (params[name] !== undefined) return params[name];
  const d = schemaDefault(desc, name);
  if (d !== undefined) return d;
  const hint = desc.fields.find((f) => f.name === name);
  return hint?.widget === 'select' ? hint.options?.[0] : undefined;
}

export function isVisible(desc: NodeDescription, params: Record<string, unknown>, hint: FieldHint): boolean {
  if (!hint.showWhen) return true;
  const v = effectiveValue(desc, params, hint.showWhen.field);
  const values = Array.isArray(v) ? v : [v];
  return values.some((x) => (typeof x === 'string' || typeof x === 'boolean') && hint.showWhen!.in.includes(x));
}

/** Problems split by the form field they belong to; the rest are about the node as a whole. */
export function problemsByField(
  desc: NodeDescription | undefined,
  problems: readonly WorkflowProblem[],
): { byField: Map<string, string[]>; general: { field?: string; message: string }[] } {
  const names = new Set(desc?.fields.map((f) => f.name) ?? []);
  const byField = new Map<string, string[]>();
  const general: { field?: string; message: string }[] = [];
  for (const p of problems) {
    const root = p.field?.split('.')[0] ?? '';
    if (names.has(root)) {
      const rest = p.field!.slice(root.length + 1);
      byField.set(root, [...(byField.get(root) ?? []), rest ? `${rest}: ${p.message}` : p.message]);
    } else general.push({ ...(p.field ? { field: p.field } : {}), message: p.message });
  }
  return { byField, general };
}

/** Params with `name` set to `value`, or removed when `value` is undefined. */
export function withParam(params: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const next = { ...params };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/**
 * JSON widget text -> value. Valid JSON is taken as is; text that cannot start JSON is taken as a
 * string (so `pending` works as well as `"pending"`); broken JSON is an error.
 */
export function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseJson(t) };
  } catch (e) {
    if (/^[[{"\d-]/.test(t) || /^(true|false|null)\b/.test(t))
      return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
    return { ok: true, value: t };
  }
}

export function formatJsonField(value: unknown): string {
  if (value === undefined) return '';
  const flat = stringifyJson(value);
  return flat.length > 60 ? stringifyJson(value, 2) : flat;
}
