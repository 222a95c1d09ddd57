/**
 * A sticky note on the canvas: its markdown rendered (markdown.tsx: elements, never HTML),
 * edited in place on a double-click or its menu's Edit (Ctrl/Cmd+Enter or a click elsewhere keeps
 * the text, Escape drops the edit), resized by its corner when selected, in one of the theme's
 * note colours. Each finished edit is one undo step.
 */
import { memo, useState } from 'react';
import { NodeResizer, type Node, type NodeProps } from '@xyflow/react';
import type { Note } from '../../shared/workflow.ts';
import { useApp } from '../store/index.ts';
import { Markdown } from './markdown.tsx';
import '../groups/groups.css';

export type NoteFlowNode = Node<{ note: Note }, 'note'>;

function NoteEditor({ note, onDone }: { note: Note; onDone: () => void }) {
  const [text, setText] = useState(note.text);
  const keep = () => {
    useApp.getState().setNoteText(note.id, text);
    onDone();
  };
  return (
    <textarea
      className="note-editor nodrag nowheel"
      aria-label="Note text (markdown)"
      data-testid={`note-editor-${note.id}`}
      autoFocus
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={keep}
      onKeyDown={(e) => {
        // Handled here only: Ctrl+Enter is not Plan, Escape closes nothing else.
        if (e.key === 'Escape') {
          e.preventDefault();
          onDone();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          keep();
        }
      }}
    />
  );
}

function NoteCardImpl({ data, selected }: NodeProps<NoteFlowNode>) {
  const { note } = data;
  const editing = useApp((st) => st.editingNote === note.id);
  const s = useApp.getState;
  const setEditing = (on: boolean) => s().setEditingNote(on ? note.id : null);
  return (
    <div
      className={`note-card note-${note.color ?? 'yellow'}${selected ? ' selected' : ''}`}
      data-testid={`note-${note.id}`}
      onDoubleClick={() => setEditing(true)}
    >
      <NodeResizer
        isVisible={selected && !editing}
        minWidth={120}
        minHeight={60}
        onResizeStart={() => s().beginDrag()}
        onResize={(_e, p) => {
          s().moveNote(note.id, { x: p.x, y: p.y });
          s().resizeNote(note.id, { width: p.width, height: p.height });
        }}
        onResizeEnd={() => s().endDrag()}
      />
      {editing ? (
        <NoteEditor note={note} onDone={() => setEditing(false)} />
      ) : (
        <div className="note-body" title="Double-click to edit">
          <Markdown text={note.text} />
        </div>
      )}
      {selected && !editing && (
        <button
          type="button"
          className="note-delete nodrag"
          aria-label="Delete note"
          title="Delete note"
          data-testid={`note-delete-${note.id}`}
          onClick={() => s().removeNote(note.id)}
        >
          ×
        </button>
      )}
    </div>
  );
}

export const NoteCard = memo(NoteCardImpl);
