/**
 * The menus and the node search over the canvas (overlay-state.ts says which is open). The node
 * search adds the chosen type at the free spot nearest the anchor's canvas point, attached as asked (after the port a
 * connection was dropped from, or into the connection it splits), as one undo step.
 */
import { useCallback, useMemo, useRef } from 'react';
import { NODE_TYPES, nodeDescription } from '../../shared/nodes/index.ts';
import { useApp } from '../store/index.ts';
import { docEdges } from '../store/edges.ts';
import type { Position } from '../store/doc.ts';
import { PickList, type PickItem } from '../palette/PickList.tsx';
import { Menu, useDismiss } from './Menu.tsx';
import { canvasEntries, edgeEntries, nodeEntries, noteEntries } from './menu-entries.ts';
import { addAttached } from './attach.ts';
import { CARD_FOOTPRINT, cardBoxes, freeOffset } from '../store/free-spot.ts';
import { nodeSizes } from '../canvas/viewport.ts';
import { useOverlay, type Anchor, type Attach } from './overlay-state.ts';

/** Half a card: a node added "here" is centred on the point. */
const CARD_OFFSET = { x: 110, y: 30 };
/** How far below a connection's ends a node inserted into it goes (a card's height and a gap). */
const BELOW = 160;

const TYPE_ITEMS: PickItem[] = NODE_TYPES.map((d) => ({
  id: d.type,
  text: `${d.label} — ${d.type}`,
  detail: d.category,
}));

/**
 * Where the new card is wanted: centred on the point; a node inserted into a connection goes between
 * its two ends, below them, so that it covers neither.
 */
function wantedPlace(anchor: Anchor, attach: Attach): Position {
  const at = { x: anchor.at.x - CARD_OFFSET.x, y: anchor.at.y - CARD_OFFSET.y };
  if (attach.kind !== 'split') return at;
  const { doc } = useApp.getState();
  const ends = docEdges(doc)
    .filter((e) => e.id === attach.edgeId)
    .flatMap((e) => doc.nodes.filter((n) => n.id === e.source || n.id === e.target));
  if (ends.length < 2) return at;
  return {
    x: (ends[0]!.position.x + ends[1]!.position.x) / 2,
    y: Math.max(ends[0]!.position.y, ends[1]!.position.y) + BELOW,
  };
}

/** The nearest spot to the wanted place where the new card covers no other card (free-spot.ts). */
function placeOf(anchor: Anchor, attach: Attach): Position {
  const cards = cardBoxes(useApp.getState().doc.nodes, nodeSizes());
  return freeOffset([{ x: 0, y: 0, ...CARD_FOOTPRINT }], cards, wantedPlace(anchor, attach));
}

function addHere(type: string, anchor: Anchor, attach: Attach): void {
  const s = useApp.getState();
  const at = placeOf(anchor, attach);
  const added = addAttached(s.doc, type, at, attach);
  if ('problem' in added) {
    s.notify({ level: 'error', text: `Cannot add ${nodeDescription(type)?.label ?? type} there: ${added.problem}` });
    return;
  }
  useApp.setState({ doc: added.doc, selection: { nodes: [added.id], edges: [] } });
}

function NodeSearch({ anchor, attach }: { anchor: Anchor; attach: Attach }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useOverlay((o) => o.close);
  useDismiss(ref, close);
  const label =
    attach.kind === 'split'
      ? 'Insert a node'
      : attach.kind === 'none'
        ? 'Add a node'
        : `Add a node connected to ${attach.nodeId}`;
  return (
    <div
      ref={ref}
      className="node-search floating"
      style={{ left: Math.min(anchor.x, window.innerWidth - 340), top: Math.min(anchor.y, window.innerHeight - 320) }}
      role="dialog"
      aria-label={label}
    >
      <div className="menu-heading">{label}</div>
      <PickList
        items={TYPE_ITEMS}
        label="Node type"
        placeholder="Type to filter node types…"
        testId="node-search"
        onClose={close}
        onPick={(type) => {
          close();
          addHere(type, anchor, attach);
        }}
      />
    </div>
  );
}

export function Overlays() {
  const menu = useOverlay((o) => o.menu);
  const search = useOverlay((o) => o.search);
  const close = useCallback(() => useOverlay.getState().close(), []);
  const entries = useMemo(() => {
    if (!menu) return [];
    const t = menu.target;
    return t.kind === 'node'
      ? nodeEntries(t.nodeId)
      : t.kind === 'edge'
        ? edgeEntries(t.edgeId, menu)
        : t.kind === 'note'
          ? noteEntries(t.noteId)
          : canvasEntries(menu);
  }, [menu]);
  if (search) return <NodeSearch anchor={search} attach={search.attach} />;
  if (!menu) return null;
  const t = menu.target;
  const [label, testId] =
    t.kind === 'node'
      ? [`Node ${t.nodeId}`, `node-menu-${t.nodeId}`]
      : t.kind === 'edge'
        ? ['Connection', 'edge-menu']
        : t.kind === 'note'
          ? ['Note', `note-menu-${t.noteId}`]
          : ['Canvas', 'canvas-menu'];
  return (
    <Menu
      key={`${t.kind}:${menu.x},${menu.y}`}
      label={label}
      entries={entries}
      testId={testId}
      onClose={close}
      at={menu}
    />
  );
}
