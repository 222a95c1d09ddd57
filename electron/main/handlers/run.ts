/**
 * run.start, run.cancel and run.plan (a plan outside history), run.resumeCheck (what a resume
 * would do, read from the database's run record), and the code trust: run.trusted, run.trust. A run starts only on a valid workflow and a saved connection; apply on a read-only
 * connection is refused (plan and rehearse are allowed: they commit nothing). Whether its code
 * nodes may run is what the host holds for the file (code-trust.ts), never a request's word.
 */
import type { LintWaiver } from '../../../shared/lint/waiver.ts';
import type { RunSubset } from '../../../shared/run.ts';
import { executionOrder, subsetNodes, type Workflow } from '../../../shared/workflow.ts';
import type { AppContext } from '../core.ts';
import { IpcFailure, type IpcMainLike } from '../ipc-table.ts';
import { DataflowError } from '../../../shared/errors.ts';
import { ResumeRefused, resumeCheck } from '../../engine/resume.ts';
import { openTarget, scrub } from '../../worker/targets.ts';
import { lintConfigFor } from './lint-config.ts';
import { workflowFromText } from './workflow-text.ts';

export function registerRunHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('run.trusted', (_sender, { text, filePath }) => ({
    trusted: ctx.codeTrust.holds(filePath ?? null, workflowFromText(text)),
  }));

  ipc.handle('run.trust', (_sender, { text, filePath }) => {
    ctx.codeTrust.grant(filePath ?? null, workflowFromText(text));
    return { trusted: true as const };
  });

  ipc.handle(
    'run.start',
    async (sender, { text, connectionId, mode, filePath, subset, waivers, acceptDrift, resume }) => {
      const workflow = workflowFromText(text);
      if (subset) checkSubset(workflow, subset);
      if (resume && mode !== 'apply')
        throw new IpcFailure(`a resume continues an apply: it cannot ${mode}`, 'resume', 'invalid_payload');
      if (resume && subset)
        throw new IpcFailure(
          'a resume runs what the stopped run left: it takes no subset',
          'subset',
          'invalid_payload',
        );
      const conn = ctx.connection(connectionId, 'connectionId');
      if (mode === 'apply' && conn.readOnly) {
        throw new IpcFailure(
          `connection "${conn.name}" is read-only, so apply is refused; plan or rehearse instead, or clear "read-only" in the connection's settings`,
          'mode',
          'forbidden',
        );
      }
      const runId = ctx.runs.start({
        sender,
        text,
        workflowName: workflow.name,
        order: executionOrder(workflow) ?? workflow.nodes.map((n) => n.id),
        mode,
        trustCode: ctx.codeTrust.holds(filePath ?? null, workflow),
        target: ctx.target(conn),
        connectionId: conn.id,
        connectionName: conn.name,
        filePath: filePath ?? null,
        ...(subset ? { subset } : {}),
        ...(mode === 'apply' && {
          review: { config: await lintConfigFor(filePath), waivers: waivers as LintWaiver[] },
        }),
        ...(acceptDrift ? { acceptDrift } : {}),
        ...(resume ? { resume } : {}),
      });
      return { runId };
    },
  );

  ipc.handle('run.resumeCheck', async (_sender, { text, connectionId, runId }) => {
    const workflow = workflowFromText(text);
    const conn = ctx.connection(connectionId, 'connectionId');
    const target = ctx.target(conn);
    const db = await openTarget(target, { nativeBinding: ctx.options.nativeBinding }).catch((e: unknown) => {
      throw new DataflowError(
        'failed',
        `cannot open connection "${conn.name}": ${scrub((e as Error).message, target)}`,
      );
    });
    try {
      const { run, done, changed } = await resumeCheck(db, workflow, { runId });
      return { runId: run.runId, state: run.state, workflow: run.workflow, startedAt: run.startedAt, done, changed };
    } catch (e) {
      if (e instanceof ResumeRefused) throw new DataflowError('failed', e.message);
      throw new DataflowError('failed', `cannot read the run record: ${scrub((e as Error).message, target)}`);
    } finally {
      await db.driver.close();
    }
  });

  ipc.handle('run.cancel', (_sender, { runId }) => ({ cancelled: ctx.runs.cancel(runId) }));

  ipc.handle('run.plan', (_sender, { text, connectionId, filePath, subset, plannedSchemas, haveLive }) => {
    // The editor's plan with the simulated schemas is of the document being edited: a draft.
    const workflow = workflowFromText(text, 'text', plannedSchemas === true);
    if (subset) checkSubset(workflow, subset);
    const conn = ctx.connection(connectionId, 'connectionId');
    const trusted = ctx.codeTrust.holds(filePath ?? null, workflow);
    return ctx.planners.plan(conn.id, ctx.target(conn), {
      kind: 'plan',
      text,
      trustCode: trusted,
      ...(subset && { subset }),
      plannedSchemas: plannedSchemas === true,
      ...(haveLive !== undefined && { haveLive }),
    });
  });
}

/** Refuses a subset naming a node the workflow does not have, before a worker starts. */
function checkSubset(workflow: Workflow, subset: RunSubset): void {
  try {
    subsetNodes(workflow, subset);
  } catch (e) {
    throw new IpcFailure((e as Error).message, `subset.${'from' in subset ? 'from' : 'only'}`);
  }
}
