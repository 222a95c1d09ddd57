/**
 * The editor's side of the pop-outs (popout-protocol.ts): opens a panel in its own window and
 * sends it the panel's state on every change while it is open. One channel per editor tab (kept in
 * sessionStorage, so that pop-outs find the editor again after it reloads).
 */
import { create } from 'zustand';
import type { RunResult } from '../../shared/run.ts';
import { useApp, type AppState } from '../store/index.ts';
import { useRoom } from '../layout/room.ts';
import {
  channelName,
  popoutUrl,
  POPOUT_NAMES,
  type PopoutMessage,
  type PopoutPanel,
  type PopoutState,
} from './popout-protocol.ts';

/** Which panels have a window open (their hello came, their bye not yet). */
export const usePopouts = create<{ open: PopoutPanel[] }>()(() => ({ open: [] }));

export function isPoppedOut(panel: PopoutPanel): boolean {
  return usePopouts.getState().open.includes(panel);
}

const STORAGE_KEY = 'dataflow.popoutChannel';

function channelId(): string {
  let id = sessionStorage.getItem(STORAGE_KEY);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(STORAGE_KEY, id);
  }
  return id;
}

let channel: BroadcastChannel | null = null;

/** The preview's plan as the pop-out shows it: without the inspector's simulated schemas (megabytes on a large database). */
function shownPlan(result: RunResult | null): RunResult | null {
  if (!result?.plannedSchemas) return result;
  const { plannedSchemas: _inspectorOnly, ...shown } = result;
  return shown;
}

function stateOf(s: AppState): PopoutState {
  const target = s.connections.find((c) => c.id === s.connectionId) ?? null;
  const lint = s.lint;
  return {
    theme: useRoom.getState().theme,
    workflow: s.doc.name,
    target: target?.name ?? null,
    sql: {
      result: shownPlan(s.preview.result),
      pending: s.preview.pending,
      error: s.preview.error,
      nodeTypes: Object.fromEntries(s.doc.nodes.map((n) => [n.id, n.type])),
      dialect: target?.kind === 'postgres' ? 'postgres' : 'sqlite',
      review:
        lint.report && lint.text === s.preview.text
          ? { findings: [...lint.report.findings], config: lint.report.config }
          : null,
    },
    diff: { diff: s.run.result?.diff ?? null, mode: s.run.result?.mode ?? null },
  };
}

/** What the pop-outs show changed (by reference: each store change makes new objects). */
const shownKey = (s: AppState) =>
  [s.preview, s.run.result, s.lint.report, s.doc.name, s.doc.nodes, s.connectionId, s.connections] as const;

function send(message: PopoutMessage): void {
  channel?.postMessage(message);
}

function sendState(): void {
  if (usePopouts.getState().open.length > 0) send({ type: 'state', state: stateOf(useApp.getState()) });
}

/**
 * Listens for pop-outs and keeps them in sync; `onOpened` runs when a pop-out appears (the SQL
 * preview asks for a plan then). Called once at start-up.
 */
export function startPopoutSync(onOpened: (panel: PopoutPanel) => void): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(channelName(channelId()));
  channel.onmessage = (e: MessageEvent<PopoutMessage>) => {
    const m = e.data;
    const { open } = usePopouts.getState();
    if (m.type === 'hello') {
      if (!open.includes(m.panel)) usePopouts.setState({ open: [...open, m.panel] });
      sendState();
      onOpened(m.panel);
    } else if (m.type === 'bye') usePopouts.setState({ open: open.filter((p) => p !== m.panel) });
  };
  send({ type: 'ping' });
  useApp.subscribe((s, prev) => {
    const [a, b] = [shownKey(s), shownKey(prev)];
    if (a.some((v, i) => v !== b[i])) sendState();
  });
  useRoom.subscribe((s, prev) => {
    if (s.theme !== prev.theme) sendState();
  });
  window.addEventListener('pagehide', () => send({ type: 'closed' }));
}

/** Opens `panel` in a window of its own (or brings its window forward); says so when the browser blocks it. */
export function popOut(panel: PopoutPanel): void {
  const id = channelId();
  const w = window.open(
    popoutUrl(window.location.href, panel, id),
    `dataflow-${panel}-${id}`,
    'popup,width=960,height=720',
  );
  if (w) w.focus();
  else
    useApp.getState().notify({
      level: 'error',
      text: `The ${POPOUT_NAMES[panel]} could not open in its own window: the browser blocked the pop-up. Allow pop-ups for this address, or use Maximise.`,
    });
}
