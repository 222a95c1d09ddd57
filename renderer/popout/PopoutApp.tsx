/**
 * The page of a pop-out window (popout-protocol.ts): the SQL preview or the diff alone, drawn from
 * the state the editor sends, in the editor's theme. It edits nothing: copying and export stay in
 * the panels themselves (copy works here too).
 */
import { useEffect, useState } from 'react';
import { SqlPreview } from '../panels/SqlPreview.tsx';
import { DiffPanel } from '../panels/DiffPanel.tsx';
import { applyTheme } from '../theme/theme.ts';
import {
  channelName,
  POPOUT_NAMES,
  type PopoutMessage,
  type PopoutPanel,
  type PopoutState,
} from './popout-protocol.ts';
import './popout.css';

export function PopoutApp({ panel, channel }: { panel: PopoutPanel; channel: string }) {
  const [state, setState] = useState<PopoutState | null>(null);
  const [editorClosed, setEditorClosed] = useState(false);
  useEffect(() => {
    const ch = new BroadcastChannel(channelName(channel));
    const hello = () => ch.postMessage({ type: 'hello', panel } satisfies PopoutMessage);
    ch.onmessage = (e: MessageEvent<PopoutMessage>) => {
      const m = e.data;
      if (m.type === 'state') {
        setState(m.state);
        setEditorClosed(false);
      } else if (m.type === 'ping') hello();
      else if (m.type === 'closed') setEditorClosed(true);
    };
    hello();
    const bye = () => ch.postMessage({ type: 'bye', panel } satisfies PopoutMessage);
    window.addEventListener('pagehide', bye);
    return () => {
      window.removeEventListener('pagehide', bye);
      bye();
      ch.close();
    };
  }, [panel, channel]);
  useEffect(() => applyTheme(state?.theme ?? 'system'), [state?.theme]);
  useEffect(() => {
    const on = state ? ` — ${state.workflow}${state.target ? ` on ${state.target}` : ''}` : '';
    document.title = `${POPOUT_NAMES[panel]}${on} · DataFlow Studio`;
  }, [panel, state]);

  return (
    <main className="popout" data-testid={`popout-${panel}`} aria-label={POPOUT_NAMES[panel]}>
      <header className="popout-head">
        Following the editor
        {state && (
          <span className="popout-of" data-testid="popout-of">
            {state.workflow}
            {state.target && ` on ${state.target}`}
          </span>
        )}
      </header>
      {editorClosed && (
        <div className="popout-note" role="status" data-testid="popout-editor-closed">
          The editor window was closed: this view no longer follows it.
        </div>
      )}
      {!state ? (
        <p className="popout-note" role="status">
          Waiting for the editor…
        </p>
      ) : panel === 'sql' ? (
        <div className="popout-body">
          {state.sql.error && <div className="field-error pane-error">{state.sql.error}</div>}
          <SqlPreview
            result={state.sql.result}
            loading={state.sql.pending}
            nodeTypes={state.sql.nodeTypes}
            dialect={state.sql.dialect}
            review={state.sql.review ?? undefined}
          />
        </div>
      ) : (
        <div className="popout-body">
          <DiffPanel diff={state.diff.diff} mode={state.diff.mode} />
        </div>
      )}
    </main>
  );
}
