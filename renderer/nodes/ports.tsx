/** A card's ports: React Flow handles for its type's inputs (left) and outputs or Switch routes (right). */
import { Handle, Position } from '@xyflow/react';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { DEFAULT_HANDLE, NEW_CASE_HANDLE, caseHandle } from '../store/edges.ts';

interface Port {
  handle: string;
  label: string | null;
}

/** Output ports in card order; labelled when a node has more than one (a Switch's routes always are). */
export function outputPorts(type: string, params: Record<string, unknown>): Port[] {
  if (type === 'SwitchNode') {
    const cases =
      params.cases && typeof params.cases === 'object' && !Array.isArray(params.cases) ? Object.keys(params.cases) : [];
    return [
      ...cases.map((value) => ({ handle: caseHandle(value), label: value })),
      { handle: DEFAULT_HANDLE, label: 'default' },
      { handle: NEW_CASE_HANDLE, label: '+ case' },
      { handle: 'result', label: 'result' },
    ];
  }
  const outputs = nodeDescription(type)?.outputs ?? ['result'];
  return outputs.length === 1 ? [{ handle: outputs[0]!, label: null }] : outputs.map((o) => ({ handle: o, label: o }));
}

/** Input ports in card order (left edge). */
export const inputPorts = (type: string): readonly string[] => nodeDescription(type)?.inputs ?? ['input'];

export function Inputs({ nodeId, type }: { nodeId: string; type: string }) {
  return inputPorts(type).map((input) => (
    <Handle
      key={input}
      type="target"
      position={Position.Left}
      id={input}
      data-testid={`handle-${nodeId}-in-${input}`}
    />
  ));
}

function OutputHandle({ nodeId, handle }: { nodeId: string; handle: string }) {
  return <Handle type="source" position={Position.Right} id={handle} data-testid={`handle-${nodeId}-out-${handle}`} />;
}

/** Output handles with their labels, one row each when there are several. */
export function Outputs({ nodeId, type, params }: { nodeId: string; type: string; params: Record<string, unknown> }) {
  const ports = outputPorts(type, params);
  if (ports.length === 1 && !ports[0]!.label) return <OutputHandle nodeId={nodeId} handle={ports[0]!.handle} />;
  return (
    <div className="ports">
      {ports.map(({ handle, label }) => (
        <div
          key={handle}
          className={`port-row${handle.startsWith('case:') || handle === DEFAULT_HANDLE ? ' port-route' : ''}`}
        >
          <span className="port-label">{label}</span>
          <OutputHandle nodeId={nodeId} handle={handle} />
        </div>
      ))}
    </div>
  );
}

/** Output handles only, all at the middle of the right edge (zoomed far out, where labels cannot be read): edges still attach. */
export function BareOutputs({
  nodeId,
  type,
  params,
}: {
  nodeId: string;
  type: string;
  params: Record<string, unknown>;
}) {
  return outputPorts(type, params).map(({ handle }) => <OutputHandle key={handle} nodeId={nodeId} handle={handle} />);
}
