/**
 * The Bridge over the web host's WebSocket (`ws://<host>/ipc?token=<token>`): requests
 * `{id, channel, payload}`, answers `{id, ok, result | error}`, pushed `{event}`. Reconnects with
 * backoff; requests made while disconnected wait for the socket. Failures reject with an IpcError
 * (plain data), as the preload bridge's do.
 */
import type { AppEvent, Bridge, Channel, IpcError, Request, Responses } from '../../shared/ipc.ts';

/** A failed request rejects with the IpcError itself, as the preload bridge does. */
type Pending = { resolve: (v: unknown) => void; reject: (e: IpcError) => void };

const failed = (message: string): IpcError => ({ code: 'failed', message });

export function createWsBridge(url: string): Bridge {
  const listeners = new Set<(event: AppEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let backoff = 250;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise<WebSocket>((resolve, reject: (e: IpcError) => void) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        backoff = 250;
        resolve(ws);
      };
      ws.onmessage = (m) => receive(String(m.data));
      ws.onerror = () => reject(failed(`cannot reach the DataFlow host at ${new URL(url).host}; is it still running?`));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const p of pending.values())
          p.reject(failed('the connection to the DataFlow host closed; retry the action'));
        pending.clear();
        if (listeners.size > 0)
          setTimeout(() => void connect().catch(() => undefined), (backoff = Math.min(backoff * 2, 5000)));
      };
    });
    opened.catch(() => {
      opened = null;
    });
    return opened;
  };

  const receive = (text: string) => {
    let msg: { id?: number; ok?: boolean; result?: unknown; error?: IpcError; event?: AppEvent };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.event) {
      for (const l of listeners) l(msg.event);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(msg.error ?? failed('the host answered with an error and no message'));
  };

  return {
    async invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<Responses[C]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, channel, payload }));
      });
    },
    on(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
