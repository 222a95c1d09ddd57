/**
 * Runs a group as a unit: its nodes only (the engine's `{only}` subset, the machinery of "Run
 * this node only"), as a plan, rehearsal or apply with the same preflight and confirmation as a
 * whole run; the other nodes are skipped.
 */
import type { RunMode, RunSubset } from '../../shared/run.ts';
import { confirmApply, startRun } from '../commands/runs.ts';
import { useApp } from '../store/index.ts';

export function groupSubset(groupId: string): RunSubset | null {
  const group = useApp.getState().doc.groups.find((g) => g.id === groupId);
  return group && group.nodes.length > 0 ? { only: [...group.nodes] } : null;
}

export function runGroup(groupId: string, mode: RunMode): void {
  const subset = groupSubset(groupId);
  if (!subset) return;
  if (mode === 'apply') void confirmApply(subset);
  else void startRun(mode, [], { subset });
}
