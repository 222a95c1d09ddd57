/**
 * The safety review of the document on the chosen connection (docs/lint.md), as the node badges,
 * the SQL preview's marks and the Apply confirmation read it. Refreshed after edits (commands/lint.ts);
 * a stale answer (for text the document no longer has) is dropped. Not undone.
 */
import type { LintFinding, LintReport } from '../../shared/lint/finding.ts';
import type { Slice } from './types.ts';

export interface LintView {
  /** The workflow text reviewed (or being reviewed), the connection and file it was reviewed with. */
  text: string | null;
  connectionId: string | null;
  filePath: string | null;
  report: LintReport | null;
  /** The report's findings by node id, in report order (stable between answers for the cards). */
  byNode: Readonly<Record<string, readonly LintFinding[]>>;
  pending: boolean;
  /** Why the review failed (an invalid dataflow.lint.json, a connection that did not open). */
  error: string | null;
}

export interface LintSlice {
  lint: LintView;
  lintStarting(text: string, connectionId: string, filePath: string | null): void;
  lintDone(text: string, report: LintReport): void;
  lintRejected(text: string, message: string): void;
  /** The database changed (an apply): the next review runs again even for the same text. */
  lintStale(): void;
}

const idle = (): LintView => ({
  text: null,
  connectionId: null,
  filePath: null,
  report: null,
  byNode: {},
  pending: false,
  error: null,
});

function byNode(report: LintReport): Record<string, LintFinding[]> {
  const out: Record<string, LintFinding[]> = {};
  for (const f of report.findings) if (f.node !== undefined) (out[f.node] ??= []).push(f);
  return out;
}

export const createLintSlice: Slice<LintSlice> = (set, get) => ({
  lint: idle(),
  lintStarting(text, connectionId, filePath) {
    set({ lint: { ...get().lint, text, connectionId, filePath, pending: true } });
  },
  lintDone(text, report) {
    if (get().lint.text === text)
      set({ lint: { ...get().lint, report, byNode: byNode(report), pending: false, error: null } });
  },
  lintRejected(text, message) {
    if (get().lint.text === text)
      set({ lint: { ...get().lint, pending: false, error: message, report: null, byNode: {} } });
  },
  lintStale() {
    set({ lint: { ...get().lint, text: null } });
  },
});
