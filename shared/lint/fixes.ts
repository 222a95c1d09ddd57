/**
 * One-click fixes (docs/lint.md, "Fixes"): where a finding on a workflow node has a safe form that
 * is a change of the node's params, the params that make it. The editor applies a fix as one
 * undoable edit; `dataflow lint --fix -o fixed.json` applies every fix to the workflow file.
 *
 * - DF704 (an index built without CONCURRENTLY: `create_index`, or the unique index of an
 *   `add_constraint` unique or primary key) and DF705 (`drop_index` without CONCURRENTLY): set
 *   `concurrently` (the planner then builds or drops it outside a transaction, and attaches a
 *   key's index with USING INDEX).
 * A CHECK or FOREIGN KEY node needs no fix: the planner always adds it NOT VALID and validates
 * it in a separate transaction.
 */
import type { LintFinding } from './finding.ts';

export interface LintFix {
  /** The button's label. */
  label: string;
  /** The node's params after the fix. */
  params: Record<string, unknown>;
}

const KEYS = new Set(['unique', 'primary_key']);

/** The fix of finding `f` on a node whose params are `params`, or null when it has none. */
export function lintFix(f: LintFinding, params: Readonly<Record<string, unknown>>): LintFix | null {
  if (params.concurrently === true) return null;
  const op = params.operation;
  const builds = op === 'create_index' || (op === 'add_constraint' && KEYS.has(String(params.constraint_type)));
  if ((f.code === 'DF704' && builds) || (f.code === 'DF705' && op === 'drop_index'))
    return { label: 'Fix: use CONCURRENTLY', params: { ...params, concurrently: true } };
  return null;
}
