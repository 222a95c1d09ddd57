/**
 * The main area under the toolbar: the left column, the canvas over the bottom panel, the right
 * column, with a splitter beside each panel (Splitter.tsx). Sizes, collapsed panels and the
 * maximised panel come from the room (room.ts); collapsed panels stay mounted, hidden.
 */
import type { CSSProperties, ReactNode } from 'react';
import { useApp } from '../store/index.ts';
import { DEFAULT_SIZES } from './panel-sizes.ts';
import { useRoom } from './room.ts';
import { Splitter } from './Splitter.tsx';
import './room.css';

export interface MainAreaProps {
  left: ReactNode;
  canvas: ReactNode;
  bottom: ReactNode;
  right: ReactNode;
}

export function MainArea({ left, canvas, bottom, right }: MainAreaProps) {
  const panels = useRoom((s) => s.panels);
  const maximised = useRoom((s) => s.maximised);
  // The execution view needs room for its statements and charts: taller, unless the user sized the panel.
  const tall = useApp((s) => s.bottomTab === 'execution') && panels.bottom.size === DEFAULT_SIZES.bottom;
  const width = (id: 'left' | 'right') => (panels[id].collapsed ? '0px' : `${panels[id].size}px`);
  const style = {
    '--left-width': width('left'),
    '--right-width': width('right'),
    '--bottom-height': panels.bottom.collapsed ? '0px' : `${panels.bottom.size}px`,
  } as CSSProperties;
  const collapsed = (id: 'left' | 'right' | 'bottom') => (panels[id].collapsed ? ' collapsed' : '');
  return (
    <div
      className={`layout-main${maximised ? ` maximised maximised-${maximised === 'sql' ? 'right' : 'bottom'}` : ''}`}
      style={style}
      data-testid="layout-main"
    >
      <aside className={`layout-left${collapsed('left')}`} id="panel-left" aria-label="Palette and schema">
        {left}
      </aside>
      <Splitter panel="left" />
      <div className="layout-centre">
        {canvas}
        <Splitter panel="bottom" />
        <section
          className={`layout-bottom${collapsed('bottom')}${tall ? ' tall' : ''}`}
          id="panel-bottom"
          aria-label="Run panels"
        >
          {bottom}
        </section>
      </div>
      <Splitter panel="right" />
      <aside className={`layout-right${collapsed('right')}`} id="panel-right" aria-label="Inspector and SQL preview">
        {right}
      </aside>
    </div>
  );
}
