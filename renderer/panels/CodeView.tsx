/**
 * A read-only, syntax-highlighted SQL view (CodeMirror 6); the text stays selectable and copyable.
 * Notes (code-notes.ts) can be shown under lines.
 */
import { useEffect, useRef } from 'react';
import { EditorView, minimalSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { lineNumbers } from '@codemirror/view';
import { PostgreSQL, SQLite, StandardSQL, sql } from '@codemirror/lang-sql';
import { syntaxHighlighting } from '@codemirror/language';
import { sqlHighlight } from './sql-highlight.ts';
import type { DialectName } from '../../shared/schema.ts';
import { notesField, setNotes, type LineNote } from './code-notes.ts';

export interface CodeViewProps {
  /** The SQL text shown. */
  value: string;
  /** Highlights the dialect's keywords; standard SQL when absent. */
  dialect?: DialectName;
  testId?: string;
  /** What the view shows, for screen readers ("SQL preview"). */
  label: string;
  /** Notes shown under lines (the SQL preview's findings). */
  notes?: readonly LineNote[];
}

const DIALECTS = { sqlite: SQLite, postgres: PostgreSQL } as const;

const NO_NOTES: readonly LineNote[] = [];

export function CodeView({ value, dialect, testId, label, notes = NO_NOTES }: CodeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);

  useEffect(() => {
    const extensions = [
      minimalSetup,
      lineNumbers(),
      sql({ dialect: dialect ? DIALECTS[dialect] : StandardSQL }),
      syntaxHighlighting(sqlHighlight),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.lineWrapping,
      notesField,
    ];
    const created = new EditorView({ parent: host.current!, state: EditorState.create({ extensions }) });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, [dialect, label]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const changes = v.state.doc.toString() !== value ? { from: 0, to: v.state.doc.length, insert: value } : undefined;
    v.dispatch({ changes, effects: setNotes.of(notes) });
  }, [value, dialect, notes]);

  return <div className="df-code" ref={host} data-testid={testId} />;
}
