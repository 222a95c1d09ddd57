/** Copy, cut, paste (workflow JSON on the clipboard, so it works across files and windows), duplicate, delete. */
import { parseJson } from '../../shared/json-text.ts';
import { serializeWorkflow, workflowSchema, type Workflow } from '../../shared/workflow.ts';
import { useApp } from '../store/index.ts';
import { viewportCentre } from '../canvas/viewport.ts';
import type { Position } from '../store/doc.ts';

/** The last copied fragment, for a paste whose clipboard data is empty (no system clipboard). */
let memory: string | null = null;

export function copyText(): string | null {
  const frag = useApp.getState().selectionFragment();
  if (!frag) return null;
  memory = serializeWorkflow(frag);
  return memory;
}

/** Parses clipboard text as a workflow fragment; null when it is not one. */
export function fragmentFromText(text: string): Workflow | null {
  try {
    const parsed = workflowSchema.safeParse(parseJson(text));
    return parsed.success && parsed.data.nodes.length > 0 ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Pastes a fragment with its top-left corner at `at`, or at the centre of the visible canvas. */
export function pasteText(text: string | null, at: Position = viewportCentre()): boolean {
  const frag = text ? fragmentFromText(text) : null;
  if (!frag) {
    useApp.getState().notify({
      level: 'error',
      text: 'The clipboard holds no DataFlow nodes (copy nodes first; the clipboard carries them as workflow JSON).',
    });
    return false;
  }
  const minX = Math.min(...frag.nodes.map((n) => n.position.x));
  const minY = Math.min(...frag.nodes.map((n) => n.position.y));
  useApp.getState().paste(frag, { x: Math.round(at.x - minX), y: Math.round(at.y - minY) });
  return true;
}

/** Copy from a menu or the palette: the system clipboard when the page may write it, else the app's own. */
export async function copySelection(): Promise<boolean> {
  const text = copyText();
  if (text) await navigator.clipboard.writeText(text).catch(() => undefined);
  return text !== null;
}

export async function cutSelection(): Promise<void> {
  if (await copySelection()) useApp.getState().deleteSelection();
}

/** Paste from a menu or the palette: the system clipboard when the page may read it, else the last copy. */
export async function pasteClipboard(at?: Position): Promise<void> {
  const text = await navigator.clipboard.readText().catch(() => '');
  pasteText(text || memory, at);
}

/** Installs the document's copy/cut/paste handlers (keyboard and Edit menu roles go through these). */
export function installClipboard(isEditing: (target: EventTarget | null) => boolean): () => void {
  const onCopy = (e: ClipboardEvent, cut: boolean) => {
    if (isEditing(e.target)) return;
    const text = copyText();
    if (!text || !e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
    if (cut) useApp.getState().deleteSelection();
  };
  const copy = (e: ClipboardEvent) => onCopy(e, false);
  const cut = (e: ClipboardEvent) => onCopy(e, true);
  const paste = (e: ClipboardEvent) => {
    if (isEditing(e.target)) return;
    const text = e.clipboardData?.getData('text/plain') ?? '';
    e.preventDefault();
    pasteText(text || memory);
  };
  document.addEventListener('copy', copy);
  document.addEventListener('cut', cut);
  document.addEventListener('paste', paste);
  return () => {
    document.removeEventListener('copy', copy);
    document.removeEventListener('cut', cut);
    document.removeEventListener('paste', paste);
  };
}
