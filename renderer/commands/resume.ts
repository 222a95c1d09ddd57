/**
 * Resume: continue an apply that stopped part-way (docs/recovery.md) with the workflow open in the
 * editor, on the connection of that run. The run record on the database says what it completed;
 * the user confirms what will run, and is told (and must choose to force) when nodes changed since.
 */
import { api, errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { docText } from '../store/doc.ts';
import { blockedReason } from '../store/workflow-errors.ts';
import { startRun } from './runs.ts';

export interface StoppedRun {
  runId: string;
  workflow: string;
  connectionId: string | null;
}

/** Reads what resuming `run` would do and asks the user to confirm it. */
export async function offerResume(run: StoppedRun): Promise<void> {
  const s = useApp.getState();
  const short = run.runId.slice(0, 8);
  const refuse = (text: string) =>
    useApp.getState().notify({ level: 'error', text: `Cannot resume run ${short}: ${text}` });
  if (s.doc.name !== run.workflow)
    return refuse(
      `it applied the workflow “${run.workflow}”, and “${s.doc.name}” is open. Open “${run.workflow}” to resume it.`,
    );
  const conn = s.connections.find((c) => c.id === run.connectionId);
  if (!conn) return refuse('its connection is no longer saved. Run the workflow anew on another connection.');
  const blocked = blockedReason(s.doc);
  if (blocked) return refuse(blocked);
  try {
    const check = await api().invoke('run.resumeCheck', {
      text: docText(s.doc),
      connectionId: conn.id,
      runId: run.runId,
    });
    useApp.getState().openDialog({
      kind: 'confirmResume',
      check,
      connectionId: conn.id,
      connection: conn.name,
      production: conn.environment?.kind === 'production',
    });
  } catch (e) {
    refuse(errorMessage(e));
  }
}

/** Starts the resume the user confirmed (`force`: although nodes changed since the run). */
export function resume(runId: string, connectionId: string, force: boolean): void {
  void startRun('apply', [], { resume: { runId, force }, connectionId });
}
