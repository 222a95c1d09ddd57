/**
 * Notes under lines of a CodeView (CodeMirror block widgets): the safety review's findings right
 * below the statement they concern in the SQL preview, each with an optional one-click fix.
 */
import { StateEffect, StateField, type EditorState } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Problem, type ProblemData } from '../layout/Problem.tsx';

export interface LineNote {
  /** The 1-based line the note goes under. */
  line: number;
  severity: 'error' | 'warning' | 'info';
  /** The code shown first (`DF704`). */
  code: string;
  /** The rule's title (`CREATE INDEX without CONCURRENTLY`). */
  title: string;
  /** The node, field and message, in the one pattern of layout/Problem.tsx. */
  problem: ProblemData;
  /** A one-click fix, when the finding has one. */
  fix?: { label: string; apply(): void };
  testId?: string;
}

class NoteWidget extends WidgetType {
  private root: Root | null = null;

  constructor(readonly note: LineNote) {
    super();
  }

  override eq(other: NoteWidget): boolean {
    const a = this.note;
    const b = other.note;
    return (
      a.line === b.line &&
      a.code === b.code &&
      a.title === b.title &&
      JSON.stringify(a.problem) === JSON.stringify(b.problem) &&
      a.fix?.label === b.fix?.label
    );
  }

  override destroy(): void {
    const root = this.root;
    this.root = null;
    // Not while React may be rendering the panel that holds the editor.
    if (root) setTimeout(() => root.unmount(), 0);
  }

  toDOM(): HTMLElement {
    const n = this.note;
    const box = document.createElement('div');
    box.className = `code-note code-note-${n.severity}`;
    if (n.testId) box.dataset.testid = n.testId;
    box.dataset.severity = n.severity;
    const code = document.createElement('strong');
    code.textContent = `${n.severity} ${n.code}`;
    const body = document.createElement('span');
    box.append(code, ` ${n.title}: `, body);
    this.root = createRoot(body);
    this.root.render(createElement(Problem, n.problem));
    if (n.fix) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'code-note-fix';
      button.textContent = n.fix.label;
      if (n.testId) button.dataset.testid = `${n.testId}-fix`;
      const { apply } = n.fix;
      button.addEventListener('click', () => apply());
      box.append(' ', button);
    }
    return box;
  }

  override ignoreEvent(): boolean {
    return false;
  }
}

/** Replaces the notes shown. */
export const setNotes = StateEffect.define<readonly LineNote[]>();

function decorations(state: EditorState, notes: readonly LineNote[]): DecorationSet {
  const ranges = notes
    .filter((n) => n.line >= 1 && n.line <= state.doc.lines)
    .map((n) =>
      Decoration.widget({ widget: new NoteWidget(n), block: true, side: 1 }).range(state.doc.line(n.line).to),
    );
  return Decoration.set(ranges, true);
}

/** The field holding the notes' decorations (block widgets must come from a state field). */
export const notesField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const e of tr.effects) if (e.is(setNotes)) next = decorations(tr.state, e.value);
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});
