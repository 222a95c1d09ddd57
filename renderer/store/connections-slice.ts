/** Saved connections, the chosen one, its schema (for the schema browser) and the run history list. */
import type { RunSummary, SavedConnection } from '../../shared/ipc.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Slice } from './types.ts';

export interface ConnectionsSlice {
  connections: SavedConnection[];
  /** The target: where Plan, Rehearse and Apply run. Only the user (or the start-up) chooses it. */
  connectionId: string | null;
  /** Whether the list was read once: the first read chooses the start-up target. */
  connectionsLoaded: boolean;
  schema: Schema | null;
  schemaError: string | null;
  history: RunSummary[];
  /**
   * Sets the list, demo database first. The first list chooses the first connection as the target;
   * later ones keep the target (adding a connection never changes it), or leave none when the
   * target was deleted.
   */
  setConnections(list: SavedConnection[]): void;
  chooseConnection(id: string | null): void;
  setSchema(schema: Schema | null, error?: string | null): void;
  setHistory(history: RunSummary[]): void;
}

export const createConnectionsSlice: Slice<ConnectionsSlice> = (set, get) => ({
  connections: [],
  connectionId: null,
  connectionsLoaded: false,
  schema: null,
  schemaError: null,
  history: [],
  setConnections(list) {
    const connections = [...list].sort((a, b) => Number(b.demo) - Number(a.demo) || a.name.localeCompare(b.name));
    const { connectionId: current, connectionsLoaded } = get();
    const kept = connections.some((c) => c.id === current) ? current : null;
    const connectionId = connectionsLoaded ? kept : (kept ?? connections[0]?.id ?? null);
    set({
      connections,
      connectionId,
      connectionsLoaded: true,
      ...(connectionId !== current ? { schema: null, schemaError: null } : {}),
    });
  },
  chooseConnection(connectionId) {
    if (connectionId !== get().connectionId) set({ connectionId, schema: null, schemaError: null });
  },
  setSchema(schema, error = null) {
    set({ schema, schemaError: error });
  },
  setHistory(history) {
    set({ history });
  },
});
