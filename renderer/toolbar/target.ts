/** The target connection: where Plan, Rehearse and Apply run (the toolbar's choice), or null. */
import type { SavedConnection } from '../../shared/ipc.ts';
import { useApp } from '../store/index.ts';
import type { AppState } from '../store/index.ts';

export function targetOf(s: Pick<AppState, 'connections' | 'connectionId'>): SavedConnection | null {
  return s.connections.find((c) => c.id === s.connectionId) ?? null;
}

export function useTarget(): SavedConnection | null {
  return useApp(targetOf);
}
