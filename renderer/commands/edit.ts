/** Copy, cut, paste (workflow JSON on the clipboard, so it works across files and windows), duplicate, delete. */
import { parseJson } from '../../shared/json-text.ts';
import { serializeWorkflow, workflowSchema, type Workflow } from '../../shared/workflow.ts';
import { useApp } from '../store/index.ts';
import { viewportCentre } from '../canvas/viewport.ts';

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

/** Pastes a fragment with its top-left corner at the centre of the visible canvas. */
export function pasteText(text: string | null): boolean {
  const frag = text ? fragmentFromText(text) : null;
  if (!frag) {
    useApp.getState().notify({
      level: 'error',
      text: 'The clipboard holds no DataFlow nodes (copy nodes first; the clipboard carries them as workflow JSON).',
    });
    return false;
  }
  const c = viewportCentre();
  const minX = Math.min(...frag.nodes.map((n) => n.position.x));
  const minY = Math.min(...frag.nodes.map((n) => n.position.y));
  useApp.getState().paste(frag, { x: Math.round(c.x - minX), y: Math.round(c.y - minY) });
  return true;
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
