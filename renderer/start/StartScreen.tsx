/**
 * The start screen on an empty canvas: open an example of the guide (one line each), import Kailash
 * Python, start from a table of the live schema, or open a recent file. It goes away with the
 * first node; dropping a node type onto it adds the node as on the canvas.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Responses } from '../../shared/ipc.ts';
import { api } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { openExample, openRecent, readWorkflowText } from '../commands/files.ts';
import { runCommand, shortcutLabel } from '../commands/registry.ts';
import { fitView } from '../canvas/viewport.ts';
import { exampleLine, userTables, workflowForTable } from './start-lines.ts';
import './start.css';

interface Example {
  name: string;
  file: string;
  text: string;
  line: string;
}

function useStartData(): { examples: Example[] | null; recent: Responses['workflow.recent'] | null } {
  const [examples, setExamples] = useState<Example[] | null>(null);
  const [recent, setRecent] = useState<Responses['workflow.recent'] | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .invoke('workflow.examples', {})
      .then((list) => {
        if (!live) return;
        setExamples(
          list.map((x) => {
            let line = '';
            try {
              line = exampleLine(readWorkflowText(x.text));
            } catch {
              line = 'cannot be read';
            }
            return { name: x.name, file: x.path.split('/').pop()!, text: x.text, line };
          }),
        );
      })
      .catch(() => live && setExamples([]));
    api()
      .invoke('workflow.recent', {})
      .then((r) => live && setRecent(r))
      .catch(() => live && setRecent([]));
    return () => {
      live = false;
    };
  }, []);
  return { examples, recent };
}

function FromSchema() {
  const schema = useApp((s) => s.schema);
  const connection = useApp((s) => s.connections.find((c) => c.id === s.connectionId));
  const tables = useMemo(() => userTables(schema), [schema]);
  const [chosen, setChosen] = useState('');
  const table = chosen || tables[0] || '';
  const reason = !connection
    ? 'Choose a connection in the toolbar first.'
    : !schema
      ? `Reading the schema of ${connection.name}…`
      : tables.length === 0
        ? `${connection.name} has no tables of its own yet.`
        : null;
  return (
    <section aria-labelledby="start-schema">
      <h3 id="start-schema">New from the live schema</h3>
      <p className="muted small">
        A check that the table is there, then a schema change on it (add a column; name it in the inspector, or pick
        another operation).
      </p>
      {reason ? (
        <p className="muted small" data-testid="start-schema-reason">
          {reason}
        </p>
      ) : (
        <div className="start-row">
          <select
            aria-label={`Table of ${connection!.name}`}
            data-testid="start-schema-table"
            value={table}
            onChange={(e) => setChosen(e.target.value)}
          >
            {tables.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button
            type="button"
            data-testid="start-schema-go"
            onClick={() => {
              const s = useApp.getState();
              s.loadDocument(workflowForTable(table, connection!.name), null, { dirty: true });
              s.select({ nodes: [`change_${table.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80)}`], edges: [] });
              s.setRightTab('inspector');
              requestAnimationFrame(() => fitView());
            }}
          >
            Start with {table}
          </button>
        </div>
      )}
    </section>
  );
}

export function StartScreen() {
  const empty = useApp((s) => s.doc.nodes.length === 0 && s.doc.notes.length === 0);
  return empty ? <Start /> : null;
}

function Start() {
  const { examples, recent } = useStartData();
  return (
    <div className="start-screen" data-testid="start-screen" role="region" aria-label="Start">
      <h2>Start a workflow</h2>
      <p className="muted">
        Drag a node type from the palette onto the canvas, or press <kbd>{shortcutLabel('Mod+K')}</kbd> for every
        command.
      </p>
      <div className="start-columns">
        <section aria-labelledby="start-examples">
          <h3 id="start-examples">Open an example</h3>
          <ul className="start-list" data-testid="start-examples">
            {examples?.map((x) => (
              <li key={x.file}>
                <button
                  type="button"
                  className="link"
                  data-testid={`start-example-${x.file.replace(/\.dataflow\.json$/, '')}`}
                  onClick={() => openExample(x.text, x.file)}
                >
                  {x.name}
                </button>
                <span className="muted small"> {x.line}</span>
              </li>
            ))}
          </ul>
        </section>
        <div>
          <section aria-labelledby="start-import">
            <h3 id="start-import">Import Kailash Python</h3>
            <button type="button" data-testid="start-import" onClick={() => runCommand('file.importPython')}>
              Import a WorkflowBuilder script…
            </button>
          </section>
          <FromSchema />
          <section aria-labelledby="start-recent">
            <h3 id="start-recent">Recent files</h3>
            {recent?.length === 0 && <p className="muted small">None yet: files you open or save are listed here.</p>}
            <ul className="start-list" data-testid="start-recent">
              {recent?.map((r) => (
                <li key={r.path}>
                  <button type="button" className="link" title={r.path} onClick={() => openRecent(r.path)}>
                    {r.path.split('/').pop()}
                  </button>
                  <span className="muted small"> {r.path}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}
