/** The node types by category, with search; drag one onto the canvas, or click to add it at the centre. */
import { useMemo, useState, type DragEvent } from 'react';
import { NODE_TYPES, type NodeCategory } from '../../shared/nodes/index.ts';
import { useApp } from '../store/index.ts';
import { NodeIcon } from '../nodes/icons.tsx';
import { PALETTE_MIME } from './Canvas.tsx';
import { viewportCentre } from './viewport.ts';

const CATEGORIES: readonly NodeCategory[] = ['Schema', 'Data', 'Migration', 'Flow', 'Quality', 'Monitoring', 'Code'];

function onDragStart(e: DragEvent, type: string) {
  e.dataTransfer.setData(PALETTE_MIME, type);
  e.dataTransfer.effectAllowed = 'copy';
}

export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hits = NODE_TYPES.filter(
      (d) => !q || [d.label, d.type, d.description, d.category].some((s) => s.toLowerCase().includes(q)),
    );
    return CATEGORIES.map((c) => ({ category: c, types: hits.filter((d) => d.category === c) })).filter(
      (g) => g.types.length > 0,
    );
  }, [query]);
  const add = (type: string) => {
    const c = viewportCentre();
    useApp.getState().addNode(type, { x: c.x - 110, y: c.y - 40 });
  };
  return (
    <div className="palette" data-testid="palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search nodes…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
        aria-label="Search node types"
      />
      {groups.length === 0 && <div className="muted">No node type matches “{query}”.</div>}
      {groups.map((g) => (
        <section key={g.category}>
          <h3 className="palette-category">{g.category}</h3>
          {g.types.map((d) => (
            <div
              key={d.type}
              className={`palette-item cat-${d.category}`}
              draggable
              onDragStart={(e) => onDragStart(e, d.type)}
              onDoubleClick={() => add(d.type)}
              onKeyDown={(e) => e.key === 'Enter' && add(d.type)}
              tabIndex={0}
              role="button"
              title={`${d.description}\nDrag onto the canvas, or double-click / Enter to add.`}
              data-testid={`palette-item-${d.type}`}
            >
              <NodeIcon name={d.icon} category={d.category} />
              <span className="palette-label">{d.label}</span>
              <span className="palette-type">{d.type}</span>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
