/** Schema browser: the chosen connection's tables with their columns, indexes and constraints, filterable. */
import { useState } from 'react';
import { INTERNAL_TABLES, type Constraint, type Schema, type Table } from '../../shared/schema.ts';
import { plural } from './format.ts';
import './panels.css';

export interface SchemaBrowserProps {
  /** The introspected schema of the chosen connection; null before it is read. */
  schema: Schema | null;
  /** True while the schema is read. */
  loading: boolean;
  /** Reads the schema again. */
  onRefresh: () => void;
}

/** Tables whose name, or one of whose columns' names, contains the filter (case-insensitive). */
export function filterTables(tables: readonly Table[], filter: string): Table[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...tables];
  return tables.filter(
    (t) => t.name.toLowerCase().includes(f) || t.columns.some((c) => c.name.toLowerCase().includes(f)),
  );
}

function constraintText(k: Constraint): string {
  if (k.kind === 'check') return `CHECK (${k.expression ?? ''})`;
  const cols = `(${k.columns.join(', ')})`;
  if (k.kind === 'foreign_key' && k.references)
    return `FOREIGN KEY ${cols} -> ${k.references.table} (${k.references.columns.join(', ')})`;
  return `${k.kind === 'primary_key' ? 'PRIMARY KEY' : 'UNIQUE'} ${cols}`;
}

export function SchemaBrowser({ schema, loading, onRefresh }: SchemaBrowserProps) {
  const [filter, setFilter] = useState('');
  const tables = schema ? filterTables(schema.tables, filter) : [];
  return (
    <section className={`df-panel${loading ? ' df-loading' : ''}`} data-testid="schema-browser" aria-busy={loading}>
      <header className="df-panel-head">
        <h2>Schema</h2>
        {schema && (
          <span className="df-muted">
            {schema.dialect} {schema.version}, {plural(schema.tables.length, 'table')}
          </span>
        )}
        <button type="button" data-testid="schema-refresh" onClick={onRefresh} disabled={loading}>
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </header>
      <input
        type="search"
        className="df-filter"
        placeholder="Filter tables and columns"
        aria-label="Filter tables and columns"
        data-testid="schema-filter"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {!schema && !loading && <p className="df-empty">Choose a connection to browse its schema.</p>}
      {schema && tables.length === 0 && (
        <p className="df-empty" data-testid="schema-no-match">
          {schema.tables.length === 0 ? 'The database has no tables.' : `No table or column matches “${filter}”.`}
        </p>
      )}
      <ul className="df-tree">
        {tables.map((t) => (
          <li key={t.name} data-testid={`schema-table-${t.name}`}>
            <details open={filter.trim() !== ''}>
              <summary>
                <strong>{t.name}</strong>{' '}
                <span className="df-muted">
                  {plural(t.columns.length, 'column')}, {plural(t.rowEstimate, 'row')}
                </span>
                {INTERNAL_TABLES.includes(t.name) && <span className="df-badge">dataflow</span>}
              </summary>
              <table className="df-grid">
                <thead>
                  <tr>
                    <th>column</th>
                    <th>type</th>
                    <th>null</th>
                    <th>default</th>
                    <th>key</th>
                  </tr>
                </thead>
                <tbody>
                  {t.columns.map((c) => (
                    <tr key={c.name} data-testid="schema-column">
                      <td>{c.name}</td>
                      <td>
                        <code>{c.type}</code>
                      </td>
                      <td>{c.nullable ? 'yes' : 'no'}</td>
                      <td>
                        <code>{c.default ?? ''}</code>
                      </td>
                      <td>{[c.primaryKey ? 'pk' : '', c.identity ? 'identity' : ''].filter(Boolean).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {t.indexes.length > 0 && (
                <ul className="df-sublist" data-testid="schema-indexes">
                  {t.indexes.map((i) => (
                    <li key={i.name}>
                      index <code>{i.name}</code> {i.unique ? 'unique ' : ''}on ({i.columns.join(', ')})
                      {i.where ? ` WHERE ${i.where}` : ''}
                    </li>
                  ))}
                </ul>
              )}
              {t.constraints.length > 0 && (
                <ul className="df-sublist" data-testid="schema-constraints">
                  {t.constraints.map((k) => (
                    <li key={k.name}>
                      constraint <code>{k.name}</code> {constraintText(k)}
                      {k.validated ? '' : ' NOT VALID'}
                    </li>
                  ))}
                </ul>
              )}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
