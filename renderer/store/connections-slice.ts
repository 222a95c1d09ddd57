/** Saved connections, the chosen one, its schema (for the schema browser) and the run history list. */
import type { RunSummary, SavedConnection } from '../../shared/ipc.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Slice } from './types.ts';

export interface ConnectionsSlice {
  connections: SavedConnection[];
  connectionId: string | null;
  schema: Schema | null;
  schemaError: string | null;
  history: RunSummary[];
  /** Sets the list, demo database first; keeps the choice when it still exists, else picks the first. */
  setConnections(list: SavedConnection[]): void;
  chooseConnection(id: string | null): void;
  setSchema(schema: Schema | null, error?: string | null): void;
  setHistory(history: RunSummary[]): void;
}

export const createConnectionsSlice: Slice<ConnectionsSlice> = (set, get) => ({
  connections: [],
  connectionId: null,
  schema: null,
  schemaError: null,
  history: [],
  setConnections(list) {
    const connections = [...list].sort((a, b) => Number(b.demo) - Number(a.demo) || a.name.localeCompare(b.name));
    const current = get().connectionId;
    const connectionId = connections.some((c) => c.id === current) ? current : (connections[0]?.id ?? null);
    set({ connections, connectionId, ...(connectionId !== current ? { schema: null, schemaError: null } : {}) });
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
