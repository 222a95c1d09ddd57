/** Diff panel: a run's schema changes as a tree by table, and each changed table's DDL before and after. */
import type { SchemaDiff, TableDdl } from '../../shared/diff-types.ts';
import type { RunMode } from '../../shared/run.ts';
import { RehearsalNote } from './RehearsalNote.tsx';
import { plural } from './format.ts';
import { formatDdl } from './ddl-format.ts';
import { diffTree, type Badge, type TreeItem } from './diff-tree.ts';
import { lineDiff, sideBySide, type SideCell } from './line-diff.ts';
import './panels.css';

export interface DiffPanelProps {
  /** The run's schema diff (RunResult.diff); null for a plan or before any run. */
  diff: SchemaDiff | null;
  /** The run's mode: a rehearsal says its changes were rolled back. */
  mode?: RunMode | null;
}

export function DiffPanel({ diff, mode }: DiffPanelProps) {
  const tree = diff && diffTree(diff);
  return (
    <section className="df-panel" data-testid="diff-panel">
      <header className="df-panel-head">
        <h2>Schema diff</h2>
        {diff && <span className="df-muted">{plural(diff.changes.length, 'change')}</span>}
      </header>
      {tree && <RehearsalNote mode={mode} />}
      {!tree ? (
        <p className="df-empty">No diff yet: rehearse or apply the workflow to see what it changes.</p>
      ) : tree.tables.length === 0 && tree.views.length === 0 ? (
        <p className="df-empty" data-testid="diff-empty">
          No schema changes.
        </p>
      ) : (
        <ul className="df-tree" data-testid="diff-tree">
          {tree.tables.map((t) => (
            <li key={t.table} data-testid={`diff-table-${t.table}`}>
              <details open>
                <summary>
                  <strong>{t.table}</strong> {t.badge && <BadgeText badge={t.badge} />}
                </summary>
                <ul>
                  {t.items.map((it) => (
                    <Item key={`${it.kind}:${it.label}`} item={it} />
                  ))}
                </ul>
                {t.ddl && <DdlDiff ddl={t.ddl} />}
              </details>
            </li>
          ))}
          {tree.views.length > 0 && (
            <li data-testid="diff-views">
              <details open>
                <summary>
                  <strong>views</strong>
                </summary>
                <ul>
                  {tree.views.map((it) => (
                    <Item key={it.label} item={it} />
                  ))}
                </ul>
              </details>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

function BadgeText({ badge }: { badge: Badge }) {
  return <span className={`df-badge df-badge-${badge}`}>{badge}</span>;
}

function Item({ item }: { item: TreeItem }) {
  return (
    <li className="df-tree-item" data-testid="diff-item" data-kind={item.kind} data-badge={item.badge}>
      <span className="df-muted">{item.kind}</span> <code>{item.label}</code> <BadgeText badge={item.badge} />{' '}
      <span className="df-detail">{item.detail}</span>
    </li>
  );
}

function Cell({ cell }: { cell: SideCell | null }) {
  if (!cell)
    return (
      <>
        <td className="df-ddl-num" />
        <td className="df-ddl-empty" />
      </>
    );
  return (
    <>
      <td className="df-ddl-num">{cell.line}</td>
      <td className={`df-ddl-${cell.kind}`}>{cell.text}</td>
    </>
  );
}

/** A column that gains or loses its trailing comma (a column added or dropped after it) has not changed. */
const ignoreTrailingComma = (line: string) => line.replace(/,\s*$/, '');

/** Side-by-side DDL with removed lines marked on the left and added lines on the right. */
function DdlDiff({ ddl }: { ddl: TableDdl }) {
  const rows = sideBySide(lineDiff(formatDdl(ddl.before ?? ''), formatDdl(ddl.after ?? ''), ignoreTrailingComma));
  return (
    <div className="df-ddl-scroll">
      <table className="df-ddl" data-testid={`diff-ddl-${ddl.table}`}>
        <colgroup>
          <col className="df-ddl-num" />
          <col />
          <col className="df-ddl-num" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={2}>before{ddl.before === null && ' (no table)'}</th>
            <th colSpan={2}>after{ddl.after === null && ' (no table)'}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <Cell cell={r.left} />
              <Cell cell={r.right} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
