/**
 * The find bar over the canvas (Mod+F): type to search the nodes; Enter / F3 go to the next hit,
 * Shift+Enter / Shift+F3 to the previous one (the canvas centres it and selects it); Escape closes.
 * Every hit's card is outlined, the current one strongly.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useApp } from '../store/index.ts';
import { findHits, type FindHit } from './find-match.ts';
import { closeFind, moveHit, setQuery, useFind } from './find-state.ts';
import './find.css';

const FIELD_NAMES: Record<FindHit['field'], string> = {
  id: 'id',
  type: 'type',
  table: 'table',
  column: 'column',
  sql: 'SQL',
  param: 'param',
};

/** The outlines of the hits' cards (React Flow's node wrappers carry `data-id`). */
function highlightCss(hits: readonly FindHit[], current: string | null): string {
  const sel = (id: string) => `.react-flow__node[data-id="${CSS.escape(id)}"] .node-card`;
  const all = hits.map((h) => sel(h.nodeId)).join(',');
  return [
    all && `${all}{outline:2px dashed var(--find, #bf8700);outline-offset:3px}`,
    current && `${sel(current)}{outline:3px solid var(--find, #bf8700);outline-offset:3px}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function FindBar() {
  const { open, query, current, focusSeq } = useFind();
  const nodes = useApp((s) => s.doc.nodes);
  const planned = useApp((s) => s.preview.result);
  const hits = useMemo(() => findHits(nodes, query, (id) => planned?.nodes[id]?.sql ?? []), [nodes, query, planned]);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) input.current?.select();
  }, [open, focusSeq]);
  if (!open) return null;
  const hit = current >= 0 ? hits[current] : undefined;
  const status =
    query.trim() === ''
      ? 'Type an id, type, table, column or SQL'
      : hits.length === 0
        ? 'No node matches'
        : hit
          ? `${current + 1} of ${hits.length}: ${hit.nodeId}, ${FIELD_NAMES[hit.field]}${hit.where ? ` ${hit.where}` : ''} “${hit.text}”`
          : `${hits.length} node${hits.length === 1 ? '' : 's'}: Enter goes to the first`;
  return (
    <div className="find-bar" role="search" aria-label="Find nodes" data-testid="find-bar">
      <style>{highlightCss(hits, hit?.nodeId ?? null)}</style>
      <input
        ref={input}
        type="search"
        aria-label="Find nodes by id, type, table, column or SQL"
        placeholder="Find nodes…"
        data-testid="find-input"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            moveHit(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            closeFind();
          }
        }}
      />
      <span className="find-status" role="status" data-testid="find-status">
        {status}
      </span>
      <button
        type="button"
        aria-label="Previous hit (Shift+F3)"
        onClick={() => moveHit(-1)}
        disabled={hits.length === 0}
      >
        ↑
      </button>
      <button type="button" aria-label="Next hit (F3)" onClick={() => moveHit(1)} disabled={hits.length === 0}>
        ↓
      </button>
      <button type="button" aria-label="Close find (Escape)" data-testid="find-close" onClick={closeFind}>
        ✕
      </button>
    </div>
  );
}
