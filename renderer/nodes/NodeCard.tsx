/**
 * The card of one workflow node: type icon, id, one-line param summary, validation badge, ports,
 * and its run status, duration and rows during and after a run. Subscribes only to its own run
 * state, so a run event re-renders one card.
 */
import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { useApp } from '../store/index.ts';
import { DEFAULT_HANDLE, NEW_CASE_HANDLE, caseHandle } from '../store/edges.ts';
import { NodeIcon } from './icons.tsx';
import { summarize } from './summary.ts';
import { paramProblems } from './problems.ts';
import { RunBadge } from './RunBadge.tsx';

export interface NodeData extends Record<string, unknown> {
  type: string;
  params: Record<string, unknown>;
}

export type FlowNode = Node<NodeData, 'workflow'>;

function OutputRow({ nodeId, handle, label }: { nodeId: string; handle: string; label: string | null }) {
  const port = <Handle type="source" position={Position.Right} id={handle} data-testid={`handle-${nodeId}-out-${handle}`} />;
  if (!label) return port;
  return (
    <div className={`port-row${handle.startsWith('case:') || handle === 'default' ? ' port-route' : ''}`}>
      <span className="port-label">{label}</span>
      {port}
    </div>
  );
}

function Outputs({ nodeId, type, params }: { nodeId: string; type: string; params: Record<string, unknown> }) {
  const desc = nodeDescription(type);
  if (type === 'SwitchNode') {
    const cases = params.cases && typeof params.cases === 'object' && !Array.isArray(params.cases) ? Object.keys(params.cases) : [];
    return (
      <div className="ports">
        {cases.map((value) => <OutputRow key={value} nodeId={nodeId} handle={caseHandle(value)} label={value} />)}
        <OutputRow nodeId={nodeId} handle={DEFAULT_HANDLE} label="default" />
        <OutputRow nodeId={nodeId} handle={NEW_CASE_HANDLE} label="+ case" />
        <OutputRow nodeId={nodeId} handle="result" label="result" />
      </div>
    );
  }
  const outputs = desc?.outputs ?? ['result'];
  if (outputs.length === 1) return <OutputRow nodeId={nodeId} handle={outputs[0]!} label={null} />;
  return (
    <div className="ports">
      {outputs.map((o) => <OutputRow key={o} nodeId={nodeId} handle={o} label={o} />)}
    </div>
  );
}

export const NodeCard = memo(function NodeCard({ id, data, selected }: NodeProps<FlowNode>) {
  const desc = nodeDescription(data.type);
  const run = useApp((s) => s.run.nodes[id]);
  const progress = useApp((s) => s.run.progress[id]);
  const problems = paramProblems(id, data.type, data.params);
  const summary = summarize(data.type, data.params);
  const status = run?.status;
  return (
    <div className={`node-card${selected ? ' selected' : ''}${status ? ` status-${status}` : ''}`} data-testid={`node-${id}`} data-status={status ?? ''}>
      {(desc?.inputs ?? ['input']).map((input) => (
        <Handle key={input} type="target" position={Position.Left} id={input} data-testid={`handle-${id}-in-${input}`} />
      ))}
      <div className="node-head">
        <NodeIcon name={desc?.icon ?? ''} category={desc?.category ?? 'unknown'} />
        <span className="node-id" title={id}>{id}</span>
        {problems.length > 0 && (
          <span className="badge badge-error" data-testid={`node-problems-${id}`} title={problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n')}>
            {problems.length}
          </span>
        )}
        {problems.length === 0 && <span className="badge badge-ok" title="params are valid">✓</span>}
      </div>
      <div className="node-type">{desc?.label ?? `unknown type ${data.type}`}</div>
      <div className="node-summary" title={summary} data-testid={`node-summary-${id}`}>{summary || '\u00a0'}</div>
      {run && <RunBadge nodeId={id} run={run} progress={progress} />}
      <Outputs nodeId={id} type={data.type} params={data.params} />
    </div>
  );
});
