/**
 * New, open, save, save as, import Python, export Python and SQL. With native dialogs (Electron)
 * open and save ask the main process to show them; in the browser the host's file dialog
 * (renderer/files/FileDialog.tsx) chooses the path.
 */
import { parseJson } from '../../shared/json-text.ts';
import { workflowSchema, type Workflow } from '../../shared/workflow.ts';
import type { ImportProblem } from '../../shared/ipc.ts';
import { api, errorMessage } from '../api/index.ts';
import { isDirty, useApp } from '../store/index.ts';
import { docText } from '../store/doc.ts';
import { fitView } from '../canvas/viewport.ts';

/** Runs `action` now, or after the user agreed to drop unsaved changes. */
function unlessUnsaved(what: string, action: () => void): void {
  const s = useApp.getState();
  if (!isDirty(s)) return action();
  s.openDialog({
    kind: 'confirm',
    title: 'Discard unsaved changes?',
    message: `“${s.doc.name}” has changes that are not saved. ${what} anyway and lose them?`,
    confirmLabel: 'Discard changes',
    onConfirm: action,
  });
}

/** Reads a workflow file's structure; params problems are left to the inspector and badges. */
export function readWorkflowText(text: string): Workflow {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (e) {
    throw new Error(`not a workflow file: not valid JSON (${(e as Error).message})`);
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a workflow file: ${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function load(text: string, path: string | null, opts: { dirty?: boolean; origin?: string } = {}): void {
  const s = useApp.getState();
  s.loadDocument(readWorkflowText(text), path, opts);
  s.clearRun();
  s.notify(null);
  requestAnimationFrame(() => fitView());
}

export function newFile(): void {
  unlessUnsaved('Start a new workflow', () => {
    useApp.getState().newDocument();
    useApp.getState().clearRun();
  });
}

export function openFile(): void {
  unlessUnsaved('Open another workflow', () => {
    if (!api().nativeDialogs) {
      useApp.getState().openDialog({ kind: 'open' });
      return;
    }
    void (async () => {
      try {
        const opened = await api().invoke('workflow.open', {});
        if (opened) load(opened.text, opened.path);
      } catch (e) {
        useApp.getState().notify({ level: 'error', text: `Cannot open: ${errorMessage(e)}` });
      }
    })();
  });
}

/** Opens a file by path (browser dialog, recent files); throws with the reason for the dialog to show. */
export async function openPath(path: string): Promise<void> {
  const opened = await api().invoke('workflow.open', { path });
  if (opened) load(opened.text, opened.path);
}

/** Opens a recent file (menu), after the unsaved-changes question. */
export function openRecent(path: string): void {
  unlessUnsaved('Open another workflow', () => {
    openPath(path).catch((e: unknown) =>
      useApp.getState().notify({ level: 'error', text: `Cannot open ${path}: ${errorMessage(e)}` }),
    );
  });
}

/**
 * Opens an example as a document without a file (its file stays untouched; Save asks where). It
 * is not "unsaved" until it is edited: nothing would be lost.
 */
export function openExample(text: string, fileName: string): void {
  load(text, null, { origin: `example ${fileName}` });
}

export async function saveFile(): Promise<void> {
  const s = useApp.getState();
  if (!s.filePath) return saveFileAs();
  await savePath(s.filePath, false);
}

export async function saveFileAs(): Promise<void> {
  if (!api().nativeDialogs) {
    useApp.getState().openDialog({ kind: 'saveAs' });
    return;
  }
  await savePath(useApp.getState().filePath ?? undefined, true);
}

/** Saves to `path` (or through the native dialog when saveAs); throws only in browser dialogs' use. */
export async function savePath(path: string | undefined, saveAs: boolean, rethrow = false): Promise<void> {
  const s = useApp.getState();
  const doc = s.doc;
  try {
    const saved = await api().invoke('workflow.save', { text: docText(doc), saveAs, ...(path ? { path } : {}) });
    if (!saved) return;
    if (useApp.getState().doc === doc) useApp.getState().markSaved(saved.path);
    else useApp.setState({ filePath: saved.path, savedDoc: doc, origin: null });
    useApp.getState().notify({ level: 'info', text: `Saved ${saved.path}` });
  } catch (e) {
    if (rethrow) throw e;
    useApp.getState().notify({ level: 'error', text: `Cannot save: ${errorMessage(e)}` });
  }
}

export function importPython(): void {
  useApp.getState().openDialog({ kind: 'importPython' });
}

/** Imports Python source; on success replaces the document (after the unsaved-changes question). */
export async function importPythonSource(
  source: string,
  lenient: boolean,
): Promise<{ imported: boolean; problems: ImportProblem[] }> {
  const { text, problems } = await api().invoke('workflow.importPython', { source, lenient });
  if (text === null) return { imported: false, problems };
  unlessUnsaved('Import', () => {
    load(text, null, { dirty: true });
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    if (warnings > 0)
      useApp.getState().notify({
        level: 'info',
        text: `Imported with ${warnings} warning${warnings === 1 ? '' : 's'} (see the import dialog's list).`,
      });
  });
  return { imported: true, problems };
}

function fileStem(): string {
  return useApp.getState().doc.name.replace(/[^\w.-]+/g, '_') || 'workflow';
}

export async function exportPython(): Promise<void> {
  try {
    const { code } = await api().invoke('workflow.exportPython', { text: docText(useApp.getState().doc) });
    useApp.getState().openDialog({
      kind: 'export',
      title: 'Python (Kailash WorkflowBuilder)',
      text: code,
      filename: `${fileStem()}.py`,
    });
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot export Python: ${errorMessage(e)}` });
  }
}

export async function exportSql(): Promise<void> {
  const s = useApp.getState();
  if (!s.connectionId) {
    s.notify({ level: 'error', text: 'The SQL depends on the database: choose a connection first.' });
    return;
  }
  try {
    const { sql, failed } = await api().invoke('workflow.exportSql', {
      text: docText(s.doc),
      connectionId: s.connectionId,
    });
    showSql(sql, failed);
  } catch (e) {
    useApp.getState().notify({ level: 'error', text: `Cannot export SQL: ${errorMessage(e)}` });
  }
}

/** Shows the SQL to copy or download; `failed` (why the plan failed) warns that the script is incomplete. */
export function showSql(sql: string, failed: string | null = null): void {
  useApp.getState().openDialog({
    kind: 'export',
    title: 'SQL',
    text: sql,
    filename: `${fileStem()}.sql`,
    ...(failed
      ? { warning: `The plan failed: ${failed}. This script is incomplete: do not run it as a migration.` }
      : {}),
  });
}

/** Saves text as a download (both in the browser and in Electron's renderer). */
export function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
