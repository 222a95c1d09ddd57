/**
 * The app store: zustand slices (document, selection, run, connections, ui, lint, notes and groups) with zundo `temporal`
 * keeping undo history of the document only.
 */
import { create } from 'zustand';
import { temporal } from 'zundo';
import { createDocumentSlice, UNDO_LIMIT } from './document-slice.ts';
import { createSelectionSlice } from './selection-slice.ts';
import { createRunSlice } from './run-slice.ts';
import { createConnectionsSlice } from './connections-slice.ts';
import { createUiSlice } from './ui-slice.ts';
import { createLintSlice } from './lint-slice.ts';
import { createAnnotationsSlice } from './annotations-slice.ts';
import type { AppState, AppStoreApi, DocHistory } from './types.ts';

export type { AppState } from './types.ts';

/** A fresh store (the app has one; tests make their own). */
export function createAppStore() {
  return create<AppState>()(
    temporal(
      (set, get, api) => {
        const a = api as unknown as AppStoreApi;
        return {
          ...createDocumentSlice(set, get, a),
          ...createSelectionSlice(set, get, a),
          ...createRunSlice(set, get, a),
          ...createConnectionsSlice(set, get, a),
          ...createUiSlice(set, get, a),
          ...createLintSlice(set, get, a),
          ...createAnnotationsSlice(set, get, a),
        };
      },
      {
        partialize: (s): DocHistory => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: UNDO_LIMIT,
      },
    ),
  );
}

export const useApp = createAppStore();

export type AppStore = typeof useApp;

/** Unsaved changes: the document differs from the file, or the inspector holds a draft not yet in it. */
export const isDirty = (s: AppState): boolean => s.doc !== s.savedDoc || s.draftNode !== null;

export function undo(store: AppStore = useApp): void {
  store.temporal.getState().undo();
}

export function redo(store: AppStore = useApp): void {
  store.temporal.getState().redo();
}
