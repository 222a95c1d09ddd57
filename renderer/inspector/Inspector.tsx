/** The inspector: the selected node's id and params, or the workflow's name, description and problems. */
import { useEffect, useMemo, useState } from 'react';
import { staleNodes } from '../store/run-inputs.ts';
import { plural } from '../panels/format.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { Problem } from '../layout/Problem.tsx';
import { useApp } from '../store/index.ts';
import { draftParams, flushParamDraft } from '../store/param-draft.ts';
import { workflowProblems } from '../store/workflow-errors.ts';
import { NodeIcon } from '../nodes/icons.tsx';
import { ParamForm } from './ParamForm.tsx';
import { useSchemaView } from './schema-view.ts';

function IdField({ id }: { id: string }) {
  const [text, setText] = useState(id);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const problem = text === id ? null : useApp.getState().renameNode(id, text.trim());
    setError(problem);
  };
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor="inspector-id">Id</label>
      <input
        id="inspector-id"
        data-testid="inspector-id"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(id);
            setError(null);
          }
        }}
      />
      <div className="field-help">Renaming updates its connections, Switch routes and compare_with references.</div>
      {error && (
        <div className="field-error" data-testid="inspector-id-error">
          {error}
        </div>
      )}
    </div>
  );
}

function NodeInspector({ id }: { id: string }) {
  const node = useApp((s) => s.doc.nodes.find((n) => n.id === id));
  const run = useApp((s) => s.run.nodes[id]);
  const stale = useApp((s) => staleNodes(s).has(id));
  const schema = useSchemaView(id);
  // What the fields show while typing: the draft (param-draft.ts) until it is committed to the document.
  const [draft, setDraft] = useState<{ id: string; params: Record<string, unknown> } | null>(null);
  useEffect(() => () => flushParamDraft(), [id]);
  if (!node) return null;
  const desc = nodeDescription(node.type);
  return (
    <div className="inspector-node" data-testid="inspector-node" onBlur={flushParamDraft}>
      <div className="inspector-head">
        <NodeIcon name={desc?.icon ?? ''} category={desc?.category ?? 'unknown'} size={18} />
        <div>
          <div className="inspector-title">{desc?.label ?? node.type}</div>
          <div className="muted small">{node.type}</div>
        </div>
      </div>
      {desc && <p className="muted small">{desc.description}</p>}
      <IdField key={id} id={id} />
      <label className="checkbox-row" title="A disabled node is skipped when the workflow runs">
        <input
          type="checkbox"
          data-testid="inspector-enabled"
          checked={!node.disabled}
          onChange={(e) => useApp.getState().setDisabled(id, !e.target.checked)}
        />{' '}
        Enabled (a disabled node is skipped when the workflow runs)
      </label>
      <ParamForm
        nodeId={id}
        type={node.type}
        params={draft?.id === id ? draft.params : node.params}
        schema={schema}
        onChange={(params) => {
          setDraft({ id, params });
          draftParams(id, params, () => setDraft(null));
        }}
      />
      {desc && <div className="muted small">Outputs: {desc.outputs.join(', ')}</div>}
      {run?.error && (
        <div className={stale ? 'muted small' : 'field-error'} data-testid="inspector-run-error">
          {stale ? 'Last run, before your edits: ' : 'Last run: '}
          <Problem
            type={node.type}
            field={run.error.field}
            label={run.error.label}
            message={run.error.message}
            code={run.error.code}
          />
        </div>
      )}
    </div>
  );
}

function WorkflowInspector() {
  const doc = useApp((s) => s.doc);
  const problems = useMemo(
    () =>
      workflowProblems(doc).filter(
        (p) =>
          !p.field ||
          p.field.startsWith('connections') ||
          p.field.startsWith('cases') ||
          p.field === 'default' ||
          p.field === 'compare_with' ||
          p.field === 'id',
      ),
    [doc],
  );
  return (
    <div className="inspector-workflow" data-testid="inspector-workflow">
      <div className="field">
        <label htmlFor="workflow-name">Workflow name</label>
        <input
          id="workflow-name"
          data-testid="workflow-name"
          value={doc.name}
          onChange={(e) => useApp.getState().setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="workflow-description">Description</label>
        <textarea
          id="workflow-description"
          rows={3}
          value={doc.description}
          onChange={(e) => useApp.getState().setDescription(e.target.value)}
        />
      </div>
      <p className="muted small">
        {plural(doc.nodes.length, 'node')}, {plural(doc.connections.length, 'connection')}. Select a node to edit its
        params.
      </p>
      {problems.length > 0 && (
        <ul className="problems" data-testid="workflow-problems">
          {problems.map((p, i) => (
            <li key={i}>
              <Problem node={p.node} field={p.field} label={p.label} message={p.message} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Inspector() {
  const selected = useApp((s) => s.selection.nodes);
  if (selected.length === 1) return <NodeInspector id={selected[0]!} />;
  if (selected.length > 1) {
    return (
      <div className="inspector-multi" data-testid="inspector-multi">
        <p>{plural(selected.length, 'node')} selected.</p>
        <div className="row">
          <button type="button" onClick={() => useApp.getState().duplicateSelection()}>
            Duplicate
          </button>
          <button type="button" onClick={() => useApp.getState().deleteSelection()}>
            Delete
          </button>
        </div>
      </div>
    );
  }
  return <WorkflowInspector />;
}
