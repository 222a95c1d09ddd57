/**
 * A group's frame on the canvas: drawn around its nodes (flow-annotations.ts computes the box),
 * dragged by its head to move them together. The head holds the collapse toggle, the name
 * (double-click to rename), the node count and the ⋯ menu. Collapsed, the frame is a compact
 * card with the count, and the edges of its hidden nodes end on its ports.
 */
import { memo, useState } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { Group } from '../../shared/workflow.ts';
import { useApp } from '../store/index.ts';
import './groups.css';

export type GroupFlowNode = Node<{ group: Group }, 'groupFrame'>;

/** The handles edges of a collapsed group's nodes end on. */
export const GROUP_IN = 'group-in';
export const GROUP_OUT = 'group-out';

function NameField({ group }: { group: Group }) {
  const [name, setName] = useState(group.name);
  const onDone = () => useApp.getState().setRenamingGroup(null);
  const keep = () => {
    useApp.getState().renameGroup(group.id, name);
    onDone();
  };
  return (
    <input
      className="group-name-input nodrag"
      aria-label="Group name"
      data-testid={`group-name-input-${group.id}`}
      autoFocus
      value={name}
      maxLength={200}
      onChange={(e) => setName(e.target.value)}
      onBlur={keep}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== 'Escape') return;
        e.preventDefault();
        if (e.key === 'Enter') keep();
        else onDone();
      }}
    />
  );
}

function GroupFrameImpl({ data, selected }: NodeProps<GroupFlowNode>) {
  const { group } = data;
  const renaming = useApp((s) => s.renamingGroup === group.id);
  const count = `${group.nodes.length} node${group.nodes.length === 1 ? '' : 's'}`;
  const collapsed = group.collapsed ?? false;
  return (
    <div
      className={`group-frame group-${group.color ?? 'blue'}${collapsed ? ' collapsed' : ''}${selected ? ' selected' : ''}`}
      data-testid={`group-${group.id}`}
      role="group"
      aria-label={`Group ${group.name}, ${count}${collapsed ? ', collapsed' : ''}`}
    >
      <div className="group-head" title="Drag to move the group's nodes together">
        <button
          type="button"
          className="group-toggle nodrag"
          aria-label={collapsed ? `Expand ${group.name}` : `Collapse ${group.name}`}
          aria-expanded={!collapsed}
          data-testid={`group-toggle-${group.id}`}
          onClick={() => useApp.getState().setGroupCollapsed(group.id, !collapsed)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        {renaming ? (
          <NameField group={group} />
        ) : (
          <span
            className="group-name"
            title={group.name}
            onDoubleClick={() => useApp.getState().setRenamingGroup(group.id)}
          >
            {group.name}
          </span>
        )}
        <span className="group-count" data-testid={`group-count-${group.id}`}>
          {count}
        </span>
        <button
          type="button"
          className="group-menu-button nodrag"
          aria-haspopup="menu"
          aria-label={`${group.name}: run, rename, collapse, ungroup`}
          data-testid={`group-menu-button-${group.id}`}
          onClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            useApp.getState().openGroupMenu({ id: group.id, x: r.left, y: r.bottom + 2 });
          }}
        >
          ⋯
        </button>
      </div>
      {collapsed && (
        <>
          <div className="group-members" title={group.nodes.join(', ')}>
            {group.nodes.join(', ')}
          </div>
          <Handle type="target" position={Position.Left} id={GROUP_IN} isConnectable={false} />
          <Handle type="source" position={Position.Right} id={GROUP_OUT} isConnectable={false} />
        </>
      )}
    </div>
  );
}

export const GroupFrame = memo(GroupFrameImpl);
