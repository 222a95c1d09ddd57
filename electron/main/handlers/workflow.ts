/**
 * Workflow files: open and save (dialogs in Electron, explicit paths everywhere else; a save writes
 * only a workflow document, never into the app's own folders nor over another file), recent files,
 * the examples, Python import and export, and the SQL export (a plan against a connection).
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ImportProblem } from '../../../shared/ipc.ts';
import { exportPython } from '../../../shared/python/export.ts';
import { importPython } from '../../../shared/python/parse.ts';
import { serializeWorkflow, WORKFLOW_FORMAT, WORKFLOW_VERSION, workflowSchema } from '../../../shared/workflow.ts';
import { nodeTypesOf, planFailure, planToSql } from '../../../shared/plan-script.ts';
import type { AppContext } from '../core.ts';
import { IpcFailure, type IpcMainLike, type IpcSender } from '../ipc-table.ts';
import { checkSavePath, checkWorkflowPath } from '../paths.ts';
import type { FileDialogOptions } from '../platform.ts';
import { workflowFromText } from './workflow-text.ts';

/** The largest workflow file opened (the same bound as a workflow's text on the bridge). */
export const MAX_WORKFLOW_BYTES = 20_000_000;
const FILTERS: FileDialogOptions['filters'] = [{ name: 'DataFlow workflow', extensions: ['json'] }];
const NO_DIALOG = 'this app has no native file dialog in the browser: give the full path of the .json file';

function suggestedName(text: string): string {
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    if (typeof name === 'string' && /^[\w .-]{1,100}$/.test(name)) return `${name}.dataflow.json`;
  } catch {
    // Not JSON: the default name below.
  }
  return 'workflow.dataflow.json';
}

async function openPath(ctx: AppContext, sender: IpcSender, path: string | undefined): Promise<string | null> {
  if (path !== undefined) return checkWorkflowPath(path);
  const dialog = ctx.options.platform.openDialog;
  if (!dialog) throw new IpcFailure(NO_DIALOG, 'path');
  return dialog(sender, { title: 'Open workflow', filters: FILTERS });
}

async function savePath(
  ctx: AppContext,
  sender: IpcSender,
  path: string | undefined,
  saveAs: boolean,
  text: string,
): Promise<string | null> {
  if (path !== undefined && !saveAs) return checkSavePath(path, ctx.roots(), true);
  const dialog = ctx.options.platform.saveDialog;
  if (!dialog) {
    if (path !== undefined) return checkSavePath(path, ctx.roots(), true);
    throw new IpcFailure(NO_DIALOG, 'path');
  }
  const chosen = await dialog(sender, {
    title: 'Save workflow',
    defaultPath: path ?? join(ctx.options.homeDir, suggestedName(text)),
    filters: FILTERS,
  });
  if (chosen === null) return null;
  return checkSavePath(chosen.toLowerCase().endsWith('.json') ? chosen : `${chosen}.dataflow.json`, ctx.roots(), false);
}

/**
 * Refuses text that is not a workflow document (the format, version, nodes and connections of
 * shared/workflow.ts), so a save writes nothing else. A workflow whose params are still invalid (a
 * draft) is a workflow document and is saved.
 */
function requireWorkflowDocument(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new IpcFailure(`the document is not JSON, nothing was written: ${(e as Error).message}`, 'text');
  }
  const parsed = workflowSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`)
      .join('; ');
    throw new IpcFailure(
      `the document is not a DataFlow workflow (format "${WORKFLOW_FORMAT}", version ${WORKFLOW_VERSION}, nodes, connections), nothing was written: ${first}`,
      'text',
    );
  }
}

function isWorkflowFile(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === WORKFLOW_FORMAT;
  } catch {
    return false;
  }
}

/**
 * An opened file must say it is a workflow document (its `format`): no other JSON file (a tool's
 * credentials.json) is read back to the page. Nothing of the file is quoted (a JSON parser's
 * error would quote its start).
 */
function requireWorkflowFile(path: string, text: string): void {
  if (!isWorkflowFile(text))
    throw new IpcFailure(
      `${path} is not a DataFlow workflow (a JSON document with "format": "${WORKFLOW_FORMAT}"); open a *.dataflow.json file`,
      'path',
    );
}

/** A save replaces a workflow document only: another JSON file there (a tool's settings.json) is left alone. */
function refuseOverwrite(path: string): void {
  let existing: string;
  try {
    if (statSync(path).size > MAX_WORKFLOW_BYTES) existing = '';
    else existing = readFileSync(path, 'utf8');
  } catch {
    return; // nothing there yet
  }
  if (!isWorkflowFile(existing))
    throw new IpcFailure(
      `${path} exists and is not a DataFlow workflow, so it was not replaced; nothing was written: choose another file name`,
      'path',
    );
}

function remember(ctx: AppContext, path: string): void {
  ctx.store.touchRecent(path);
  ctx.options.platform.recentChanged();
}

export function registerWorkflowHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('workflow.open', async (sender, { path }) => {
    const chosen = await openPath(ctx, sender, path);
    if (chosen === null) return null;
    let size: number;
    try {
      size = statSync(chosen).size;
    } catch (e) {
      throw new IpcFailure(
        `cannot open ${chosen}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
        'path',
      );
    }
    if (size > MAX_WORKFLOW_BYTES)
      throw new IpcFailure(`${chosen} is ${size} bytes; a workflow file is at most ${MAX_WORKFLOW_BYTES}`, 'path');
    const text = await readFile(chosen, 'utf8');
    requireWorkflowFile(chosen, text);
    remember(ctx, chosen);
    return { path: chosen, text };
  });

  ipc.handle('workflow.save', async (sender, { path, text, saveAs }) => {
    requireWorkflowDocument(text);
    const chosen = await savePath(ctx, sender, path, saveAs, text);
    if (chosen === null) return null;
    refuseOverwrite(chosen);
    const tmp = `${chosen}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, text.endsWith('\n') ? text : `${text}\n`);
      renameSync(tmp, chosen);
    } catch (e) {
      throw new IpcFailure(`cannot write ${chosen}: ${(e as Error).message}`, 'path');
    }
    remember(ctx, chosen);
    return { path: chosen };
  });

  ipc.handle('workflow.recent', () => ctx.store.recentFiles());

  ipc.handle('workflow.examples', () =>
    readdirSync(ctx.options.examplesDir)
      .filter((f) => f.endsWith('.dataflow.json'))
      .sort()
      .map((file) => {
        const path = join(ctx.options.examplesDir, file);
        const text = readFileSync(path, 'utf8');
        const name = (JSON.parse(text) as { name?: unknown }).name;
        return { name: typeof name === 'string' ? name : basename(file, '.dataflow.json'), path, text };
      }),
  );

  ipc.handle('workflow.importPython', (_sender, { source, lenient }) => {
    const result = importPython(source, { lenient });
    const problems: ImportProblem[] = result.problems.map(({ line, column, severity, message }) => ({
      line,
      column,
      severity,
      message,
    }));
    return { text: problems.some((p) => p.severity === 'error') ? null : serializeWorkflow(result.workflow), problems };
  });

  ipc.handle('workflow.exportPython', (_sender, { text }) => ({ code: exportPython(workflowFromText(text)) }));

  ipc.handle('workflow.exportSql', async (_sender, { text, connectionId }) => {
    const workflow = workflowFromText(text);
    const conn = ctx.connection(connectionId, 'connectionId');
    const result = await ctx.planners.plan(conn.id, ctx.target(conn), {
      kind: 'plan',
      text,
      trustCode: false,
      plannedSchemas: false,
    });
    return { sql: planToSql(result, nodeTypesOf(workflow)), failed: planFailure(result) };
  });
}
