/**
 * The renderer's only way to the main process. At start-up it takes the preload bridge
 * (`window.dataflowBridge`, Electron) or else the web host's WebSocket (token from the page URL);
 * nothing else in the renderer knows which. `nativeDialogs` says whether `workflow.open` /
 * `workflow.save` without a path can show a file dialog (Electron) or need a path (browser).
 */
import { WS_PATH, type Bridge } from '../../shared/ipc.ts';
import { createWsBridge } from './ws-client.ts';

declare global {
  interface Window {
    dataflowBridge?: Bridge;
  }
}

export interface Api extends Bridge {
  nativeDialogs: boolean;
}

let instance: Api | null = null;

function unreachable(message: string): Api {
  return {
    nativeDialogs: false,
    invoke: () => Promise.reject({ code: 'failed', message }),
    on: () => () => undefined,
  };
}

function pick(): Api {
  const bridge = window.dataflowBridge;
  if (bridge) return { nativeDialogs: true, invoke: bridge.invoke.bind(bridge), on: bridge.on.bind(bridge) };
  const token = new URLSearchParams(window.location.search).get('token');
  if (!token)
    return unreachable(
      'this page has no access token: open the address that `npm start -- --web` printed (it ends with ?token=...)',
    );
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = createWsBridge(`${scheme}://${window.location.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
  return { nativeDialogs: false, invoke: ws.invoke.bind(ws), on: ws.on.bind(ws) };
}

export function api(): Api {
  instance ??= pick();
  return instance;
}

/** What the editor calls the request fields a host's refusal can name (never the request's own key). */
const REQUEST_FIELDS: Readonly<Record<string, string>> = {
  text: 'Workflow',
  path: 'File',
  filePath: 'File',
  connectionId: 'Connection',
  runId: 'Run',
  name: 'Name',
};

/**
 * The message of a failure: an IpcError (plain data, both bridges), an Error, or anything else. A
 * request field the host names (`field "path": ...`) reads as what the editor calls it (`File: ...`).
 */
export function errorMessage(e: unknown): string {
  if (!e || typeof e !== 'object' || typeof (e as { message?: unknown }).message !== 'string') return String(e);
  const { message, field } = e as { message: string; field?: unknown };
  const lead = typeof field === 'string' ? `field "${field}": ` : null;
  if (!lead || !message.startsWith(lead)) return message;
  const rest = message.slice(lead.length);
  const label = REQUEST_FIELDS[field as string];
  return label ? `${label}: ${rest}` : rest;
}
