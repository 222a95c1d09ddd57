/**
 * Schema browser: the chosen connection's tables, filterable, drawn as a virtualised list (only
 * the rows in view exist in the page, so 5,000 tables cost what 40 do) and opened one table at a
 * time: each column with its type, NULL, default and keys (PK, FK to its target, UNIQUE, the
 * indexes it leads), then the table's indexes and constraints in full. The product's own tables
 * are in a collapsed "DataFlow" group. Tables and columns drag onto the canvas (a
 * SchemaModificationNode on them) or into a text field (schema/schema-drag.ts).
 */
import { useDeferredValue, useMemo, useState, type UIEvent } from 'react';
import type { Schema } from '../../shared/schema.ts';
import { plural } from './format.ts';
import { KIND_LABEL } from '../connections/connection-form.ts';
import { startSchemaDrag } from './schema/schema-drag.ts';
import {
  constraintText,
  indexText,
  schemaRows,
  searchIndex,
  type GroupName,
  type SchemaRow,
} from './schema/schema-rows.ts';
import './panels.css';
import './schema/schema-browser.css';

export interface SchemaBrowserProps {
  /** The introspected schema of the chosen connection; null before it is read. */
  schema: Schema | null;
  /** True while the schema is read. */
  loading: boolean;
  /** Reads the schema again. */
  onRefresh: () => void;
}

/** Every row's height in pixels (schema-browser.css): the list places rows by index. */
const ROW = 24;
/** Rows drawn above and below the view. */
const OVERSCAN = 10;
/** The view's height before it is measured (a layout without sizes, or the first frame). */
const FIRST_VIEW = 800;

function toggle<T>(set: ReadonlySet<T>, item: T): Set<T> {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
}

export function SchemaBrowser({ schema, loading, onRefresh }: SchemaBrowserProps) {
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [toggled, setToggled] = useState<ReadonlySet<GroupName>>(new Set());
  const [view, setView] = useState({ top: 0, height: FIRST_VIEW });
  const index = useMemo(() => (schema ? searchIndex(schema) : null), [schema]);
  const rows = useMemo(
    () => (index ? schemaRows(index, { filter: deferred, opened, closed, toggled }) : []),
    [index, deferred, opened, closed, toggled],
  );
  const first = Math.max(0, Math.floor(view.top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW) + OVERSCAN);
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    setView({ top: el.scrollTop, height: el.clientHeight || FIRST_VIEW });
  };
  const toggleTable = (name: string, open: boolean) => {
    if (open) {
      setOpened((s) => (s.has(name) ? toggle(s, name) : s));
      setClosed((s) => (s.has(name) ? s : toggle(s, name)));
    } else {
      setClosed((s) => (s.has(name) ? toggle(s, name) : s));
      setOpened((s) => (s.has(name) ? s : toggle(s, name)));
    }
  };
  const tables = rows.some((r) => r.kind === 'table');
  return (
    <section
      className={`df-panel df-schema${loading ? ' df-loading' : ''}`}
      data-testid="schema-browser"
      aria-busy={loading}
    >
      <header className="df-panel-head">
        <h2>Schema</h2>
        {schema && (
          <span className="df-muted">
            {KIND_LABEL[schema.dialect]} {schema.version}, {plural(schema.tables.length, 'table')}
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
      {schema && !tables && (
        <p className="df-empty" data-testid="schema-no-match">
          {schema.tables.length === 0 ? 'The database has no tables.' : `No table or column matches “${deferred}”.`}
        </p>
      )}
      <div className="df-schema-view" onScroll={onScroll} data-testid="schema-rows">
        <ul role="tree" aria-label="Tables" style={{ height: rows.length * ROW }}>
          {rows.slice(first, last).map((row, i) => (
            <Row
              key={rowKey(row)}
              row={row}
              top={(first + i) * ROW}
              onGroup={(g) => setToggled((s) => toggle(s, g))}
              onTable={toggleTable}
            />
          ))}
        </ul>
      </div>
    </section>
  );
}

function rowKey(row: SchemaRow): string {
  switch (row.kind) {
    case 'group':
      return `g:${row.group}`;
    case 'table':
      return `t:${row.table.name}`;
    case 'column':
      return `c:${row.table.name}.${row.column.name}`;
    case 'index':
      return `i:${row.table.name}.${row.index.name}`;
    case 'constraint':
      return `k:${row.table.name}.${row.constraint.name}`;
  }
}

interface RowProps {
  row: SchemaRow;
  top: number;
  onGroup(group: GroupName): void;
  onTable(name: string, open: boolean): void;
}

/** One row of the list, placed at `top`; the text a row cannot show whole is in its tooltip. */
function Row({ row, top, onGroup, onTable }: RowProps) {
  const style = { top };
  switch (row.kind) {
    case 'group':
      return (
        <li className="df-schema-row df-schema-group" style={style} role="treeitem" aria-expanded={row.open}>
          <button type="button" data-testid={`schema-group-${row.group}`} onClick={() => onGroup(row.group)}>
            {row.open ? '▾' : '▸'} {row.group === 'tables' ? 'Tables' : 'DataFlow'}{' '}
            <span className="df-muted">{row.count}</span>
          </button>
        </li>
      );
    case 'table':
      return (
        <li
          className="df-schema-row df-schema-table"
          style={style}
          role="treeitem"
          aria-expanded={row.open}
          data-testid={`schema-table-${row.table.name}`}
          draggable
          onDragStart={(e) => startSchemaDrag(e, { table: row.table.name })}
        >
          <button
            type="button"
            onClick={() => onTable(row.table.name, row.open)}
            title={`${row.table.name}: drag onto the canvas for a schema change on it`}
          >
            {row.open ? '▾' : '▸'} <strong>{row.table.name}</strong>{' '}
            <span className="df-muted">
              {plural(row.table.columns.length, 'column')}, {plural(row.table.rowEstimate, 'row')}
            </span>
          </button>
        </li>
      );
    case 'column': {
      const c = row.column;
      const text = `${c.name} ${c.type}${c.nullable ? ' NULL' : ' NOT NULL'}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${row.keys.length ? ` (${row.keys.join(', ')})` : ''}`;
      return (
        <li
          className="df-schema-row df-schema-detail"
          style={style}
          role="treeitem"
          title={text}
          data-testid="schema-column"
          draggable
          onDragStart={(e) => startSchemaDrag(e, { table: row.table.name, column: c.name })}
        >
          <span className="df-schema-name">{c.name}</span> <code>{c.type}</code>{' '}
          <span className={c.nullable ? 'df-muted' : ''}>{c.nullable ? 'null' : 'not null'}</span>
          {c.default !== null && (
            <>
              {' '}
              <span className="df-muted">default</span> <code>{c.default}</code>
            </>
          )}
          {row.keys.map((k) => (
            <span key={k} className="df-badge">
              {k}
            </span>
          ))}
        </li>
      );
    }
    case 'index': {
      const text = `index ${row.index.name}: ${indexText(row.index)}`;
      return (
        <li
          className="df-schema-row df-schema-detail"
          style={style}
          role="treeitem"
          title={text}
          data-testid="schema-index"
        >
          <span className="df-muted">index</span> <span className="df-schema-name">{row.index.name}</span>{' '}
          <code>{indexText(row.index)}</code>
        </li>
      );
    }
    case 'constraint': {
      const text = constraintText(row.constraint);
      return (
        <li
          className="df-schema-row df-schema-detail"
          style={style}
          role="treeitem"
          title={`constraint ${row.constraint.name}: ${text}`}
          data-testid="schema-constraint"
        >
          <span className="df-muted">constraint</span> <span className="df-schema-name">{row.constraint.name}</span>{' '}
          <code>{text}</code>
        </li>
      );
    }
  }
}
