/** The document slice: the workflow being edited, its file, and every edit (each one undo step). */
import type { Workflow } from '../../shared/workflow.ts';
import {
  addLink,
  addNode,
  docFromWorkflow,
  emptyDoc,
  fragment,
  insertFragment,
  linkProblem,
  moveNodes,
  removeNodes,
  renameNode,
  renameProblem,
  setDisabled,
  setParams,
  type Doc,
  type Link,
  type Position,
} from './doc.ts';
import { removeEdges } from './edges.ts';
import { CARD_FOOTPRINT, cardBoxes, freeOffset } from './free-spot.ts';
import { nodeSizes } from '../canvas/viewport.ts';
import type { Slice } from './types.ts';

export interface DocumentSlice {
  doc: Doc;
  /** The document as last saved or opened; `doc !== savedDoc` means unsaved changes. */
  savedDoc: Doc;
  /** The node whose params the inspector holds a typed draft of, not yet in `doc` (param-draft.ts); null when none. */
  draftNode: string | null;
  filePath: string | null;
  /** Where a document without a file came from (`example basic-add-column.dataflow.json`); null otherwise. */
  origin: string | null;
  newDocument(): void;
  /**
   * Replaces the document (open, example, import); clears undo history. `dirty`: it exists in no
   * file (an import), so it counts as unsaved from the start.
   */
  loadDocument(wf: Workflow, filePath: string | null, opts?: { dirty?: boolean; origin?: string }): void;
  markSaved(filePath: string): void;
  setName(name: string): void;
  setDescription(description: string): void;
  /**
   * Adds a node at `position`, or the nearest place where it covers no other card (free-spot.ts),
   * with `params` instead of its type's defaults when given; one undo step.
   */
  addNode(type: string, position: Position, params?: Record<string, unknown>): string;
  setParams(id: string, params: Record<string, unknown>): void;
  /** Disables a node (the engine skips it) or enables it again. */
  setDisabled(id: string, disabled: boolean): void;
  /** Replaces the nodes, connections, notes and groups with `wf`'s as one undo step (a lint fix that rewrites several nodes). */
  replaceWorkflow(wf: Workflow): void;
  /** Renames a node and every reference to it; returns the problem instead when the id is not usable. */
  renameNode(from: string, to: string): string | null;
  /** Adds a connection or a Switch route; returns why not when it is refused. */
  link(link: Link): string | null;
  deleteSelection(): void;
  moveNodes(positions: ReadonlyMap<string, Position>): void;
  /** Pauses undo history while a drag runs, so that the whole drag becomes one step. */
  beginDrag(): void;
  endDrag(): void;
  duplicateSelection(): void;
  /** Inserts a copied fragment, moved by `offset` or the nearest offset where it covers no card, and selects it. */
  paste(frag: Workflow, offset: Position): void;
  /** The selected nodes as a workflow fragment (what copy puts on the clipboard). */
  selectionFragment(): Workflow | null;
}

export const createDocumentSlice: Slice<DocumentSlice> = (set, get, api) => {
  const temporal = () => api.temporal.getState();
  let dragOrigin: Doc | null = null;
  let lastEdit: { doc: Doc; id: string; keys: string; at: number } | null = null;
  const initial = emptyDoc();
  return {
    doc: initial,
    savedDoc: initial,
    draftNode: null,
    filePath: null,
    origin: null,
    newDocument() {
      const doc = emptyDoc();
      set({ doc, savedDoc: doc, filePath: null, origin: null, selection: { nodes: [], edges: [] } });
      temporal().clear();
    },
    loadDocument(wf, filePath, opts) {
      const doc = docFromWorkflow(wf);
      set({
        doc,
        savedDoc: opts?.dirty ? emptyDoc() : doc,
        filePath,
        origin: opts?.origin ?? null,
        selection: { nodes: [], edges: [] },
      });
      temporal().clear();
    },
    markSaved(filePath) {
      set({ savedDoc: get().doc, filePath, origin: null });
    },
    setName(name) {
      if (name !== get().doc.name) set({ doc: { ...get().doc, name } });
    },
    setDescription(description) {
      if (description !== get().doc.description) set({ doc: { ...get().doc, description } });
    },
    addNode(type, position, params) {
      const spot = freeOffset([{ x: 0, y: 0, ...CARD_FOOTPRINT }], cardBoxes(get().doc.nodes, nodeSizes()), position);
      const added = addNode(get().doc, type, spot);
      const { id } = added;
      const doc = params ? setParams(added.doc, id, params) : added.doc;
      set({ doc, selection: { nodes: [id], edges: [] } });
      return id;
    },
    setParams(id, params) {
      const before = get().doc;
      const old = before.nodes.find((n) => n.id === id)?.params ?? {};
      const keys = [...new Set([...Object.keys(old), ...Object.keys(params)])]
        .filter((k) => old[k] !== params[k])
        .sort()
        .join(',');
      const doc = setParams(before, id, params);
      if (doc === before) return;
      const now = Date.now();
      // Typing in one field is one undo step: a change of the same params right after the last one replaces it.
      const merge =
        lastEdit !== null &&
        lastEdit.doc === before &&
        lastEdit.id === id &&
        lastEdit.keys === keys &&
        now - lastEdit.at < TYPING_MS;
      if (merge) temporal().pause();
      set({ doc });
      if (merge) temporal().resume();
      lastEdit = { doc, id, keys, at: now };
    },
    setDisabled(id, disabled) {
      const doc = setDisabled(get().doc, id, disabled);
      if (doc !== get().doc) set({ doc });
    },
    replaceWorkflow(wf) {
      const doc = docFromWorkflow(wf);
      const ids = new Set(doc.nodes.map((n) => n.id));
      const { selection } = get();
      set({ doc, selection: { nodes: selection.nodes.filter((id) => ids.has(id)), edges: [] } });
    },
    renameNode(from, to) {
      const problem = renameProblem(get().doc, from, to);
      if (problem) return problem;
      const { selection } = get();
      set({
        doc: renameNode(get().doc, from, to),
        selection: { nodes: selection.nodes.map((n) => (n === from ? to : n)), edges: [] },
      });
      return null;
    },
    link(link) {
      const problem = linkProblem(get().doc, link);
      if (problem) return problem;
      set({ doc: addLink(get().doc, link) });
      return null;
    },
    deleteSelection() {
      const { doc, selection } = get();
      const next = removeNodes(removeEdges(doc, new Set(selection.edges)), new Set(selection.nodes));
      if (next !== doc) set({ doc: next, selection: { nodes: [], edges: [] } });
    },
    moveNodes(positions) {
      const doc = moveNodes(get().doc, positions);
      if (doc !== get().doc) set({ doc });
    },
    beginDrag() {
      dragOrigin = get().doc;
      temporal().pause();
    },
    endDrag() {
      const t = temporal();
      t.resume();
      const origin = dragOrigin;
      dragOrigin = null;
      if (!origin || origin === get().doc) return;
      const { pastStates } = t;
      api.temporal.setState({ pastStates: [...pastStates, { doc: origin }].slice(-UNDO_LIMIT), futureStates: [] });
    },
    duplicateSelection() {
      const frag = get().selectionFragment();
      if (frag) get().paste(frag, { x: 40, y: 40 });
    },
    paste(frag, offset) {
      const sizes = nodeSizes();
      const clear = freeOffset(cardBoxes(frag.nodes, sizes), cardBoxes(get().doc.nodes, sizes), offset);
      const { doc, ids } = insertFragment(get().doc, frag, clear);
      set({ doc, selection: { nodes: ids, edges: [] } });
    },
    selectionFragment() {
      const ids = new Set(get().selection.nodes);
      return ids.size === 0 ? null : fragment(get().doc, ids);
    },
  };
};

/** Param edits of one field closer together than this are one undo step. */
const TYPING_MS = 1000;

/** How many document states undo keeps. */
export const UNDO_LIMIT = 200;
