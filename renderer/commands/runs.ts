/**
 * Plan, rehearse, apply and cancel the document on the chosen connection, the SQL preview's plan,
 * and the apply confirmation (which lists the destructive steps of a fresh plan).
 */
import { isPoppedOut } from '../popout/popout-host.ts';
import { CODE_NODE_TYPES } from '../../shared/nodes/code.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { environmentLabel } from '../../shared/environment.ts';
import type { LintReport } from '../../shared/lint/finding.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import { withLiveTables, type PlannedSchemas } from '../../shared/planned-schema.ts';
import type { RunMode, RunResult, RunSubset } from '../../shared/run.ts';
import { subsetNodes } from '../../shared/workflow.ts';
import { api, errorMessage } from '../api/index.ts';
import { useApp, type AppState } from '../store/index.ts';
import { docText, docToWorkflow, planText } from '../store/doc.ts';
import { nodeInputs } from '../store/run-inputs.ts';
import { blockedNotice } from '../store/workflow-errors.ts';
import { destructiveSteps } from '../../shared/destructive-steps.ts';
import { reviewDocument, scheduleLint } from './lint.ts';
import { runResult } from './run-results.ts';

function chosenConnection(): string | null {
  const s = useApp.getState();
  if (s.connectionId) return s.connectionId;
  s.notify({ level: 'error', text: 'Choose a connection in the toolbar first (or create the demo database).' });
  return null;
}

/** The document's file, as the host keys its code trust (absent for an unsaved document). */
function fileOf(filePath: string | null): { filePath?: string } {
  return filePath ? { filePath } : {};
}

/**
 * Starts a run; the toolbar and the run panel follow it through the event stream. A document with
 * code nodes whose code the host holds no confirmation for (per file, per code) asks first; the
 * confirmation is given to the host (`run.trust`), which decides on every run.
 */
/**
 * What else a run takes: the drift the user accepted, the part of the workflow to run (Run from
 * here, Run this node only), the recorded run it resumes and the connection of that run.
 */
export interface RunStartOptions {
  acceptDrift?: boolean;
  subset?: RunSubset;
  resume?: { runId: string; force: boolean };
  /** The connection to run on instead of the target (a resume continues on its run's connection). */
  connectionId?: string;
  /** Run this workflow instead of the document (a rollback the host built from a run record). */
  workflowText?: string;
}

export async function startRun(
  mode: RunMode,
  waivers: LintWaiver[] = [],
  options: RunStartOptions = {},
): Promise<void> {
  const connectionId = options.connectionId ?? chosenConnection();
  if (!connectionId) return;
  const s = useApp.getState();
  const own = options.workflowText === undefined;
  if (own && refusedWhileInvalid(mode)) return;
  const codeIds = own ? s.doc.nodes.filter((n) => CODE_NODE_TYPES.has(n.type)).map((n) => n.id) : [];
  if (codeIds.length > 0) {
    const text = docText(s.doc);
    const file = fileOf(s.filePath);
    let trusted: boolean;
    try {
      trusted = (await api().invoke('run.trusted', { text, ...file })).trusted;
    } catch (e) {
      s.notify({ level: 'error', text: `${mode} could not start: ${errorMessage(e)}` });
      return;
    }
    if (!trusted) {
      s.openDialog({
        kind: 'confirm',
        title: 'Run code from this workflow?',
        message: `${codeIds.join(', ')} run${codeIds.length === 1 ? 's' : ''} code on this machine. Run it only if you trust where this workflow came from.`,
        confirmLabel: 'Trust and run',
        onConfirm: () => {
          api()
            .invoke('run.trust', { text, ...file })
            .then(
              () => startRun(mode, waivers, options),
              (e: unknown) =>
                useApp.getState().notify({ level: 'error', text: `${mode} could not start: ${errorMessage(e)}` }),
            );
        },
      });
      return;
    }
  }
  s.runStarting(mode, own ? nodeInputs(s.doc) : {});
  s.setBottomTab('run');
  const text = options.workflowText ?? docText(s.doc);
  try {
    const { runId } = await api().invoke('run.start', {
      text,
      connectionId,
      mode,
      ...(own ? fileOf(s.filePath) : {}),
      ...(waivers.length > 0 ? { waivers } : {}),
      ...(options.acceptDrift ? { acceptDrift: true } : {}),
      ...(options.subset ? { subset: options.subset } : {}),
      ...(options.resume ? { resume: options.resume } : {}),
    });
    useApp.getState().runAccepted(runId);
    const result = await runResult(runId);
    afterRun(result, text, connectionId, waivers, options.subset);
  } catch (e) {
    useApp.getState().runRejected(errorMessage(e));
    useApp.getState().notify({ level: 'error', text: `${mode} could not start: ${errorMessage(e)}` });
  }
}

function afterRun(
  result: RunResult,
  text: string,
  connectionId: string,
  waivers: LintWaiver[],
  subset: RunSubset | undefined,
): void {
  const s = useApp.getState();
  if (result.mode === 'plan' && !subset) {
    // The plan of the document as it is shows in the preview (an edit made meanwhile is planned by
    // the preview itself); the preview's plan of the same text kept the simulated schemas the
    // inspector reads.
    if (text !== docText(s.doc)) return;
    const key = planText(s.doc);
    const same = s.preview.text === key && s.preview.connectionId === connectionId;
    const planned = same ? s.preview.result?.plannedSchemas : undefined;
    s.previewStarting(key, connectionId);
    s.previewDone(key, planned && !result.plannedSchemas ? { ...result, plannedSchemas: planned } : result);
  } else {
    if (result.diff && result.diff.changes.length > 0 && result.status === 'succeeded') s.setBottomTab('diff');
    void refreshSchema();
    if (result.mode === 'apply') {
      s.previewStale();
      s.lintStale();
      scheduleLint(0);
      if (wantsPlan(s)) void refreshPreview();
    }
  }
  if (result.mode === 'plan' && !subset && result.status === 'succeeded') s.setRightTab('sql');
  if (result.errorCode === 'schema_drift' && result.drift && !result.drift.accepted) {
    const conn = s.connections.find((c) => c.id === connectionId);
    s.openDialog({
      kind: 'confirmDrift',
      connection: conn?.name ?? result.connection,
      report: result.drift.report,
      waivers,
      ...(subset ? { subset } : {}),
    });
  }
  if (result.status === 'failed') {
    s.setBottomTab('run');
    const failed = result.order.find((id) => result.nodes[id]?.status === 'failed');
    if (failed) s.select({ nodes: [failed], edges: [] });
  } else if (subset && 'only' in subset && subset.only.length === 1) {
    // Run this node only: what it did is the point.
    s.select({ nodes: [subset.only[0]!], edges: [] });
    s.setBottomTab('execution');
  }
  void refreshHistory();
}

export async function cancelRun(): Promise<void> {
  const { run } = useApp.getState();
  if (!run.runId || run.phase !== 'running') return;
  try {
    await api().invoke('run.cancel', { runId: run.runId });
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot cancel: ${errorMessage(e)}` });
  }
}

/**
 * A plan of the current document (or the part `subset` names), without touching the run panel (the
 * preview's keeps the simulated schema of each node).
 */
async function planDocument(
  text: string,
  connectionId: string,
  options: { plannedSchemas?: boolean; subset?: RunSubset; haveLive?: string } = {},
): Promise<RunResult> {
  return api().invoke('run.plan', {
    text,
    connectionId,
    ...fileOf(useApp.getState().filePath),
    ...(options.plannedSchemas ? { plannedSchemas: true } : {}),
    ...(options.subset ? { subset: options.subset } : {}),
    ...(options.haveLive ? { haveLive: options.haveLive } : {}),
  });
}

/**
 * The preview's plan, with the simulated schemas. The live schema's table outlines (about all of a
 * plan's size on a large database) come once per read of the schema: a plan of the read the last
 * preview holds leaves them out and takes them from it.
 */
async function planPreview(text: string, connectionId: string, held: PlannedSchemas | undefined): Promise<RunResult> {
  const haveLive = held?.live && !held.live.omitted ? held.live.read : undefined;
  const result = await planDocument(text, connectionId, { plannedSchemas: true, haveLive });
  if (!result.plannedSchemas) return result;
  const planned = withLiveTables(result.plannedSchemas, held);
  return planned ? { ...result, plannedSchemas: planned } : planDocument(text, connectionId, { plannedSchemas: true });
}

/** Runs wait until the workflow has no validation error (the shortcuts too, not only the buttons). */
function refusedWhileInvalid(mode: RunMode): boolean {
  const notice = blockedNotice(useApp.getState().doc, mode);
  if (notice) useApp.getState().notify(notice);
  return notice !== null;
}

/**
 * Apply: reviews and plans first, then asks for confirmation listing the safety review's errors
 * and warnings (an error must be waived with a reason, or fixed) and the destructive steps, then
 * applies with the waivers (the host refuses an apply with an unwaived error anyway).
 */
export async function confirmApply(subset?: RunSubset): Promise<void> {
  const connectionId = chosenConnection();
  if (!connectionId) return;
  if (refusedWhileInvalid('apply')) return;
  const s = useApp.getState();
  const conn = s.connections.find((c) => c.id === connectionId);
  if (conn?.readOnly) {
    s.notify({
      level: 'error',
      text: `${conn.name} is read-only: apply is disabled on it. Rehearse instead, or choose another connection.`,
    });
    return;
  }
  s.notify({ level: 'info', text: 'Planning and reviewing before apply…' });
  const text = docText(s.doc);
  let review: LintReport;
  try {
    review = await reviewDocument(text, connectionId, s.filePath);
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot review before apply: ${errorMessage(e)}` });
    return;
  }
  try {
    const plan = await planDocument(text, connectionId, { subset });
    const after = useApp.getState();
    const part = subset ? subsetNodes(docToWorkflow(after.doc), subset) : null;
    after.notify(null);
    if (plan.status !== 'succeeded') {
      after.showHistoricRun(plan);
      after.setBottomTab('run');
      after.notify({
        level: 'error',
        text: `The plan failed, nothing was applied: ${plan.error ?? 'see the run panel'}`,
      });
      return;
    }
    const writes = plan.order.filter(
      (id) =>
        (!part || part.has(id)) &&
        nodeDescription(after.doc.nodes.find((n) => n.id === id)?.type ?? '')?.writes &&
        plan.nodes[id]?.status === 'succeeded',
    );
    after.openDialog({
      kind: 'confirmApply',
      connection: conn?.name ?? connectionId,
      environment: conn?.environment ? environmentLabel(conn.environment) : null,
      production: conn?.environment?.kind === 'production',
      destructive: destructiveSteps(plan),
      writes,
      findings: review.findings.filter((f) => f.severity !== 'info' && (!part || !f.node || part.has(f.node))),
      lintConfig: review.config,
      ...(subset ? { subset } : {}),
    });
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot plan before apply: ${errorMessage(e)}` });
  }
}

let previewTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * Whether the document's plan is shown: the SQL preview (in its tab or its own window), or the
 * inspector of one node (its table and column choices are the plan's simulated schema before the
 * node, its default as rendered).
 */
export function wantsPlan(s: AppState): boolean {
  return s.rightTab === 'sql' || (s.rightTab === 'inspector' && s.selection.nodes.length === 1) || isPoppedOut('sql');
}

/** Re-plans the SQL preview (debounced) when the document or the connection changed. */
export function schedulePreview(delayMs = 500): void {
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    previewTimer = null;
    void refreshPreview();
  }, delayMs);
}

export async function refreshPreview(): Promise<void> {
  const s = useApp.getState();
  const connectionId = s.connectionId;
  if (!connectionId || s.doc.nodes.length === 0) return;
  const text = planText(s.doc);
  if (s.preview.text === text && s.preview.connectionId === connectionId && (s.preview.result || s.preview.pending))
    return;
  const held = s.preview.connectionId === connectionId ? s.preview.result?.plannedSchemas : undefined;
  s.previewStarting(text, connectionId);
  try {
    useApp.getState().previewDone(text, await planPreview(text, connectionId, held));
  } catch (e) {
    useApp.getState().previewRejected(text, errorMessage(e));
  }
}

/** Shows the connection's schema; `reread`: read from the database again, not as its planner keeps it (Refresh). */
export async function refreshSchema(reread = false): Promise<void> {
  const { connectionId } = useApp.getState();
  if (!connectionId) return;
  try {
    const schema = await api().invoke('schema.introspect', { connectionId, ...(reread && { refresh: true }) });
    if (useApp.getState().connectionId === connectionId) useApp.getState().setSchema(schema);
  } catch (e) {
    useApp.getState().setSchema(null, errorMessage(e));
  }
}

export async function refreshHistory(): Promise<void> {
  try {
    // With the target connection: its database's own run records too (CLI runs and rollbacks).
    const { connectionId } = useApp.getState();
    const runs = await api().invoke('history.list', { limit: 200, ...(connectionId && { connectionId }) });
    if (useApp.getState().connectionId === connectionId) useApp.getState().setHistory(runs);
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot read the run history: ${errorMessage(e)}` });
  }
}

export async function openHistoricRun(runId: string): Promise<void> {
  try {
    const result = await api().invoke('history.get', { runId });
    if (!result) {
      useApp.getState().notify({ level: 'error', text: `Run ${runId} is no longer in the history.` });
      return;
    }
    const s = useApp.getState();
    s.showHistoricRun(result);
    s.setBottomTab(result.diff && result.diff.changes.length > 0 ? 'diff' : 'run');
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot open run ${runId}: ${errorMessage(e)}` });
  }
}

export async function refreshConnections(): Promise<void> {
  try {
    useApp.getState().setConnections(await api().invoke('connections.list', {}));
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot list connections: ${errorMessage(e)}` });
  }
}

export async function createDemo(): Promise<void> {
  const s = useApp.getState();
  s.notify({ level: 'info', text: 'Creating the demo database…' });
  try {
    const conn = await api().invoke('demo.create', { dialect: 'sqlite' });
    await refreshConnections();
    useApp.getState().chooseConnection(conn.id);
    useApp.getState().notify({ level: 'info', text: `${conn.name} is ready.` });
    void refreshSchema();
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot create the demo database: ${errorMessage(e)}` });
  }
}
