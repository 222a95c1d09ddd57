/**
 * A node's own run actions: Run from here (the node and everything downstream of it) and Run this
 * node only, each as a plan, rehearsal or apply with the same preflight and confirmation as a whole
 * run; and its execution view (what it did in the run shown).
 */
import type { RunMode, RunSubset } from '../../shared/run.ts';
import { useApp } from '../store/index.ts';
import { confirmApply, startRun } from './runs.ts';

/** `from`: the node and every node downstream of it; `only`: the node alone. */
export type NodePart = 'from' | 'only';

export function partSubset(nodeId: string, part: NodePart): RunSubset {
  return part === 'from' ? { from: nodeId } : { only: [nodeId] };
}

/** Plans, rehearses or (after the apply confirmation) applies part of the workflow. */
export function runPart(nodeId: string, part: NodePart, mode: RunMode): void {
  const subset = partSubset(nodeId, part);
  if (mode === 'apply') void confirmApply(subset);
  else void startRun(mode, [], { subset });
}

/** Selects the node and shows what it did in the run shown. */
export function showExecution(nodeId: string): void {
  const s = useApp.getState();
  s.select({ nodes: [nodeId], edges: [] });
  s.setBottomTab('execution');
}
