/**
 * Typing in the inspector edits a draft of the node's params, not the document: the draft becomes
 * a document change after a pause of COMMIT_AFTER_MS, when focus leaves the inspector, when another
 * node is inspected, and before any command runs (flushParamDraft). A keystroke then renders the
 * inspector's field only; the canvas, the workflow check, the review and the SQL preview of a large
 * workflow follow once per pause instead of once per key. While a draft is pending the document
 * counts as unsaved (`draftNode`), so closing the window still asks.
 */
import { useApp } from './index.ts';

/** A pause this long after the last keystroke commits the draft. */
export const COMMIT_AFTER_MS = 150;

let pending: {
  id: string;
  params: Record<string, unknown>;
  timer: ReturnType<typeof setTimeout>;
  committed: () => void;
} | null = null;

/** Holds `params` as node `id`'s draft; `committed` runs when the draft has become the document's. */
export function draftParams(id: string, params: Record<string, unknown>, committed: () => void): void {
  if (pending && pending.id !== id) flushParamDraft();
  if (pending) clearTimeout(pending.timer);
  else useApp.setState({ draftNode: id });
  pending = { id, params, committed, timer: setTimeout(flushParamDraft, COMMIT_AFTER_MS) };
}

/** Commits the pending draft to the document now (one undo step with the typing before it). */
export function flushParamDraft(): void {
  const p = pending;
  if (!p) return;
  pending = null;
  clearTimeout(p.timer);
  useApp.getState().setParams(p.id, p.params);
  useApp.setState({ draftNode: null });
  p.committed();
}
