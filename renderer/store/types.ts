import type { StoreApi } from 'zustand';
import type { TemporalState } from 'zundo';
import type { Doc } from './doc.ts';
import type { DocumentSlice } from './document-slice.ts';
import type { SelectionSlice } from './selection-slice.ts';
import type { RunSlice } from './run-slice.ts';
import type { ConnectionsSlice } from './connections-slice.ts';
import type { UiSlice } from './ui-slice.ts';
import type { LintSlice } from './lint-slice.ts';
import type { AnnotationsSlice } from './annotations-slice.ts';

export type AppState = DocumentSlice &
  SelectionSlice &
  RunSlice &
  ConnectionsSlice &
  UiSlice &
  LintSlice &
  AnnotationsSlice;

/** What undo/redo keeps: the document only (selection, runs and panels are not undone). */
export interface DocHistory {
  doc: Doc;
}

export type SetState = (partial: Partial<AppState> | ((s: AppState) => Partial<AppState>)) => void;
export type AppStoreApi = StoreApi<AppState> & { temporal: StoreApi<TemporalState<DocHistory>> };

export type Slice<T> = (set: SetState, get: () => AppState, api: AppStoreApi) => T;
