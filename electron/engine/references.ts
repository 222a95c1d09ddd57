/**
 * Data passing between nodes: connections copy a dotted path of the source's outputs into the
 * target's inputs; a param written `":name"` reads `name` from those inputs.
 */
import { isReference } from '../../shared/nodes/index.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { NodeResult } from '../../shared/run.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Walks `path` (`result.rows`) through nested objects; `found` is false when a step is missing. */
export function readPath(root: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let value = root;
  for (const key of path) {
    if (!isRecord(value) || !Object.hasOwn(value, key) || value[key] === undefined)
      return { found: false, value: undefined };
    value = value[key];
  }
  return { found: true, value };
}

export interface GatheredInputs {
  inputs: Record<string, unknown>;
  /** Sources whose outputs are unknown (plan mode: code nodes and nodes that were not planned). */
  unknownSources: string[];
  /** Connections whose source ran but has no such output. */
  missing: { source: string; sourceOutput: string; targetInput: string; available: string[] }[];
}

/** A node whose outputs later nodes read: it succeeded, or a resumed run completed it and recorded them. */
function givesOutputs(r: NodeResult): boolean {
  return r.status === 'succeeded' || (r.reason === 'done_before' && Object.keys(r.outputs).length > 0);
}

/** Inputs of `nodeId` from the connections whose source succeeded (or was done before a resume), in connection order (later wins). */
export function gatherInputs(
  wf: Workflow,
  nodeId: string,
  results: ReadonlyMap<string, NodeResult>,
  unknown: ReadonlySet<string>,
): GatheredInputs {
  const gathered: GatheredInputs = { inputs: {}, unknownSources: [], missing: [] };
  for (const c of wf.connections) {
    if (c.target !== nodeId) continue;
    if (unknown.has(c.source)) {
      gathered.unknownSources.push(c.source);
      continue;
    }
    const source = results.get(c.source);
    if (!source || !givesOutputs(source)) continue;
    const { found, value } = readPath(source.outputs, c.sourceOutput.split('.'));
    if (found) gathered.inputs[c.targetInput] = value;
    else
      gathered.missing.push({
        source: c.source,
        sourceOutput: c.sourceOutput,
        targetInput: c.targetInput,
        available: Object.keys(source.outputs),
      });
  }
  return gathered;
}

/** Value of a reference name: an input called `name`, else field `name` of an input object (one level deep). */
export function lookupReference(
  name: string,
  inputs: Readonly<Record<string, unknown>>,
): { found: boolean; value: unknown } {
  const [head, ...rest] = name.split('.');
  if (head === undefined || head === '') return { found: false, value: undefined };
  if (Object.hasOwn(inputs, head)) return readPath(inputs[head], rest);
  for (const input of Object.values(inputs)) {
    if (isRecord(input) && Object.hasOwn(input, head)) {
      const hit = readPath(input[head], rest);
      if (hit.found) return hit;
    }
  }
  return { found: false, value: undefined };
}

export interface ResolvedParams {
  params: Record<string, unknown>;
  /** Params whose reference no input provides. */
  unresolved: { field: string; reference: string }[];
}

/** Replaces every top-level `":name"` param with the value it reads. */
export function resolveParams(
  params: Readonly<Record<string, unknown>>,
  inputs: Readonly<Record<string, unknown>>,
): ResolvedParams {
  const resolved: ResolvedParams = { params: { ...params }, unresolved: [] };
  for (const [field, value] of Object.entries(params)) {
    if (!isReference(value)) continue;
    const hit = lookupReference(value.slice(1), inputs);
    if (hit.found) resolved.params[field] = hit.value;
    else resolved.unresolved.push({ field, reference: value });
  }
  return resolved;
}

/** Every output in `result` too: the executor's own `result` object gets the other outputs merged in. */
export function normalizeOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  const { result, ...others } = outputs;
  if (result === undefined) return { ...others, result: { ...others } };
  if (isRecord(result)) return { ...others, result: { ...result, ...others } };
  return { ...others, result };
}
