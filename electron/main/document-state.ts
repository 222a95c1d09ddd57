/**
 * The open document as the window shows it: title with a dirty marker, and the close prompt's
 * "Save" path (the renderer owns the document, so main asks it to save and closes the window once
 * it reports the document clean; a save cancelled or never finished within SAVE_THEN_CLOSE_MS
 * does not close the window later by surprise).
 */
export const SAVE_THEN_CLOSE_MS = 120_000;
export const APP_NAME = 'DataFlow Studio';

export class DocumentState {
  title = 'Untitled';
  dirty = false;
  private saveThenCloseSince: number | null = null;

  windowTitle(): string {
    return `${this.dirty ? '● ' : ''}${this.title} — ${APP_NAME}`;
  }

  /** The close prompt's Save: the next clean report (soon enough) closes the window. */
  saveThenClose(now = Date.now()): void {
    this.saveThenCloseSince = now;
  }

  /** The save dialog was cancelled: the window stays. */
  saveCancelled(): void {
    this.saveThenCloseSince = null;
  }

  /** Records the renderer's report; true when the window should close now. */
  update(state: { title: string; dirty: boolean }, now = Date.now()): boolean {
    this.title = state.title.trim() || 'Untitled';
    this.dirty = state.dirty;
    const pending = this.saveThenCloseSince;
    if (pending === null || state.dirty) return false;
    this.saveThenCloseSince = null;
    return now - pending <= SAVE_THEN_CLOSE_MS;
  }
}
