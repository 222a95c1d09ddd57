/**
 * The safety review of the document (lint.workflow): refreshed, debounced, when the document, the
 * connection or the file changes and after an apply, so the node badges and the SQL preview's
 * marks follow the edits; the Apply confirmation asks for a fresh one.
 */
import type { LintFinding, LintReport } from '../../shared/lint/finding.ts';
import { lintFix, type LintFix } from '../../shared/lint/fixes.ts';
import { api, errorMessage } from '../api/index.ts';
import { docToWorkflow, planText } from '../store/doc.ts';
import { useApp } from '../store/index.ts';

let timer: ReturnType<typeof setTimeout> | null = null;

/** Reviews the document again after `delayMs` without a newer call. */
export function scheduleLint(delayMs = 600): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void refreshLint();
  }, delayMs);
}

/** Reviews the document unless the last review was of the same text, connection and file. */
export async function refreshLint(): Promise<void> {
  const s = useApp.getState();
  const connectionId = s.connectionId;
  if (!connectionId || s.doc.nodes.length === 0) return;
  const text = planText(s.doc);
  const { lint } = s;
  if (lint.text === text && lint.connectionId === connectionId && lint.filePath === s.filePath) return;
  s.lintStarting(text, connectionId, s.filePath);
  try {
    useApp.getState().lintDone(text, await reviewDocument(text, connectionId, s.filePath));
  } catch (e) {
    useApp.getState().lintRejected(text, errorMessage(e));
  }
}

/** A fresh review of `text` (the Apply confirmation's). */
export function reviewDocument(text: string, connectionId: string, filePath: string | null): Promise<LintReport> {
  return api().invoke('lint.workflow', { text, connectionId, ...(filePath ? { filePath } : {}) });
}

/** The one-click fix of a finding on the document (shared/lint/fixes.ts), applied as one undoable edit. */
export function fixOf(f: LintFinding): (LintFix & { apply(): void }) | null {
  const s = useApp.getState();
  const fix = lintFix(f, docToWorkflow(s.doc), s.schema);
  if (!fix) return null;
  return {
    ...fix,
    apply: () => {
      const now = useApp.getState();
      now.replaceWorkflow(fix.workflow);
      now.notify({
        level: 'info',
        text: `${f.node}: ${fix.label.replace(/^Fix: /, '')} (${f.code}). Undo with Ctrl+Z.`,
      });
    },
  };
}
