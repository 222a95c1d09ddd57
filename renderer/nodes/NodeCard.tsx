/**
 * The card of one workflow node: type icon, id, one-line param summary, validation badge, the
 * safety review's badge, ports, and its run status, duration and rows during and after a run. A card created while the canvas
 * is zoomed out past FAR_ZOOM (a large workflow fitted to the window) is light: frame, category
 * colour, its id in large type (down to ID_ZOOM) and ports, none of the small text that cannot be read there. It becomes full the first time it
 * is drawn at a readable zoom and stays full: zoomed out again, styles.css hides its text, so that
 * crossing FAR_ZOOM again changes a class instead of swapping and re-measuring every card.
 * Subscribes only to its own run state and to whether the canvas is zoomed out, so a run event
 * re-renders one card and zooming re-renders the cards only when it crosses FAR_ZOOM.
 */
import { memo, useState } from 'react';
import { useStore as useFlowStore, type Node, type NodeProps } from '@xyflow/react';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { useApp } from '../store/index.ts';
import type { NodeRun } from '../store/run-slice.ts';
import { zoomedOut } from './detail.ts';
import { NodeIcon } from './icons.tsx';
import { BareOutputs, Inputs, Outputs } from './ports.tsx';
import { paramProblems } from './problems.ts';
import { nameProblems } from './name-problems.ts';
import { LintBadge } from './LintBadge.tsx';
import { RunBadge } from './RunBadge.tsx';
import { staleNodes } from '../store/run-inputs.ts';

export interface NodeData extends Record<string, unknown> {
  type: string;
  params: Record<string, unknown>;
  /** The node is disabled: the engine skips it. */
  disabled: boolean;
}

export type FlowNode = Node<NodeData, 'workflow'>;

interface CardProps {
  id: string;
  data: NodeData;
  selected: boolean;
  run: NodeRun | undefined;
  /** The node's params or connections changed since this run: its result is dimmed. */
  stale: boolean;
}

const frameClass = (selected: boolean, run: NodeRun | undefined, stale: boolean, disabled: boolean) =>
  `node-card${selected ? ' selected' : ''}${run ? ` status-${run.status}` : ''}${run && stale ? ' stale' : ''}${disabled ? ' disabled' : ''}`;

/**
 * The head's badge: the count of param problems and of names not in the schema the node sees, else whether the last run failed, else ✎ when the
 * node was edited since its last run (a green ✓ beside that run's dimmed result would read as its
 * outcome), else ✓ (params valid).
 */
function HeadBadge({ id, problems, run, stale }: { id: string; problems: string[]; run?: NodeRun; stale: boolean }) {
  if (problems.length > 0)
    return (
      <span className="badge badge-error" data-testid={`node-problems-${id}`} title={problems.join('\n')}>
        {problems.length}
      </span>
    );
  if (run?.status === 'failed' && !stale)
    return (
      <span className="badge badge-error" data-testid={`node-failed-${id}`} title="failed in this run">
        ✗
      </span>
    );
  if (run && stale)
    return (
      <span
        className="badge badge-stale"
        data-testid={`node-edited-${id}`}
        title="params are valid; not run since the edit"
      >
        ✎
      </span>
    );
  return (
    <span className="badge badge-ok" data-testid={`node-valid-${id}`} title="params are valid">
      ✓
    </span>
  );
}

/** The id in large type, shown only zoomed out (styles.css), where the card's own text is hidden. */
const FarId = ({ id }: { id: string }) => (
  <span className="node-far-id" aria-hidden="true">
    {id}
  </span>
);

const FullCard = memo(function FullCard({ id, data, selected, run, stale }: CardProps) {
  const desc = nodeDescription(data.type);
  const named = useApp((s) => nameProblems(s, id));
  const problems = [
    ...paramProblems(id, data.type, data.params).map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`),
    ...(named ? named.split('\n') : []),
  ];
  const summary = desc?.subtitle(data.params) ?? '';
  return (
    <div
      className={frameClass(selected, run, stale, data.disabled)}
      data-testid={`node-${id}`}
      data-status={run?.status ?? ''}
      data-stale={run && stale ? 'true' : undefined}
      data-disabled={data.disabled ? 'true' : undefined}
    >
      <Inputs nodeId={id} type={data.type} />
      <FarId id={id} />
      <div className="node-head">
        <NodeIcon name={desc?.icon ?? ''} category={desc?.category ?? 'unknown'} />
        <span className="node-id" title={id}>
          {id}
        </span>
        <HeadBadge id={id} problems={problems} run={run} stale={stale} />
      </div>
      <div className="node-type">
        {desc?.label ?? `unknown type ${data.type}`}
        {data.disabled && (
          <span
            className="badge badge-disabled"
            data-testid={`node-disabled-${id}`}
            title="disabled: skipped when the workflow runs (enable it in the inspector)"
          >
            disabled
          </span>
        )}
        <LintBadge id={id} />
      </div>
      <div className="node-summary" title={summary} data-testid={`node-summary-${id}`}>
        {summary || '\u00a0'}
      </div>
      {run && <RunBadge nodeId={id} run={run} stale={stale} />}
      <Outputs nodeId={id} type={data.type} params={data.params} />
    </div>
  );
});

function LightCard({ id, data, selected, run, stale }: CardProps) {
  return (
    <div
      className={`${frameClass(selected, run, stale, data.disabled)} light`}
      data-testid={`node-${id}`}
      data-status={run?.status ?? ''}
      title={id}
    >
      <Inputs nodeId={id} type={data.type} />
      <span className={`node-icon cat-${nodeDescription(data.type)?.category ?? 'unknown'}`} />
      <FarId id={id} />
      <BareOutputs nodeId={id} type={data.type} params={data.params} />
    </div>
  );
}

export const NodeCard = memo(function NodeCard({ id, data, selected }: NodeProps<FlowNode>) {
  const far = useFlowStore(zoomedOut);
  const [full, setFull] = useState(!far);
  if (!far && !full) setFull(true);
  const run = useApp((s) => s.run.nodes[id]);
  const stale = useApp((s) => staleNodes(s).has(id));
  const Card = full ? FullCard : LightCard;
  return <Card id={id} data={data} selected={selected} run={run} stale={stale} />;
});
