/**
 * Roll back (History): the host builds the reverse workflow of a recorded apply from its run record
 * and plans it (`rollback.plan`); the user reads its SQL, then rehearses or applies it on the run's
 * connection like any workflow (`run.start` with the waivers the rollback expects).
 */
import type { RollbackPlan, RunSummary } from '../../shared/ipc.ts';
import type { RunMode } from '../../shared/run.ts';
import { api, errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { startRun } from './runs.ts';

/** Builds and plans the rollback of `run`, and shows it for confirmation. */
export async function offerRollback(run: Pick<RunSummary, 'runId' | 'connectionId'>): Promise<void> {
  const s = useApp.getState();
  const short = run.runId.slice(0, 8);
  const conn = s.connections.find((c) => c.id === run.connectionId);
  if (!conn) {
    s.notify({ level: 'error', text: `Cannot roll back run ${short}: its connection is no longer saved.` });
    return;
  }
  s.notify({ level: 'info', text: `Building the rollback of run ${short} from its record…` });
  try {
    const plan = await api().invoke('rollback.plan', { connectionId: conn.id, runId: run.runId });
    const after = useApp.getState();
    after.notify(null);
    after.openDialog({
      kind: 'rollback',
      plan,
      connectionId: conn.id,
      connection: conn.name,
      production: conn.environment?.kind === 'production',
    });
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot roll back run ${short}: ${errorMessage(e)}` });
  }
}

/** Rehearses or applies the rollback the user read. */
export function runRollback(plan: RollbackPlan, connectionId: string, mode: Exclude<RunMode, 'plan'>): void {
  void startRun(mode, mode === 'apply' ? plan.waivers : [], { workflowText: plan.text, connectionId });
}
