/**
 * The web host: the app in a browser. One HTTP server on 127.0.0.1 (random port) serves the built
 * renderer and, at WS_PATH, a WebSocket that carries the same handler table as Electron's IPC
 * (protocol: the top of shared/ipc.ts). Every request needs the token (auth.ts).
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type AppEvent, type WsAnswer, type WsEventFrame, type WsRequest } from '../../shared/ipc.ts';
import { createCore, type AppCore } from '../main/core.ts';
import type { IpcSender } from '../main/ipc-table.ts';
import { WEB_PLATFORM } from '../main/platform.ts';
import { checkRequest, newToken, tokenCookieName } from './auth.ts';
import { securityHeaders } from './headers.ts';
import { resolveStatic } from './static-files.ts';

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  examplesDir: string;
  /** Where the app is installed (its code and assets): no workflow is saved in it. */
  appDir: string;
  version: string;
  homeDir?: string;
  /** Default 0: a free port chosen by the system. */
  port?: number;
  token?: string;
  demoRows?: number;
  workerEntry?: URL;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  core: AppCore;
  close(): Promise<void>;
}

/** Largest WebSocket message accepted (a workflow's text is at most 20 MB). */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
  res.end(`${message}\n`);
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, message: string): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${message}\n`,
  );
}

/** A WebSocket text frame as a request, or null when it is not one. */
function requestFrame(text: string): WsRequest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { id, channel, payload } = value as Record<string, unknown>;
  return typeof id === 'number' && typeof channel === 'string' ? { id, channel, payload } : null;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const sockets = new Map<string, WebSocket>();
  let port = 0;
  let core: AppCore | null = null;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const verdict = checkRequest(req, port, token);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.message);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD are served');
    const { pathname } = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const file = resolveStatic(options.rendererDir, pathname);
    if (!file) {
      if (pathname === '/')
        return refuse(res, 503, `the editor is not built (no ${options.rendererDir}/index.html): run npm run build`);
      // Browsers ask for a favicon on their own; answering "nothing" keeps their console clean.
      if (pathname === '/favicon.ico') return res.writeHead(204, securityHeaders()).end();
      return refuse(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      ...securityHeaders([`ws://127.0.0.1:${port}`]),
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
    };
    if (verdict.viaQuery)
      headers['Set-Cookie'] = `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let nextSocket = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkRequest(req, port, token);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status, verdict.message);
    if (new URL(req.url ?? '/', `http://127.0.0.1:${port}`).pathname !== WS_PATH)
      return refuseUpgrade(socket, 404, `the WebSocket endpoint is ${WS_PATH}`);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, `ws:${++nextSocket}`));
  });

  function serveSocket(ws: WebSocket, id: string): void {
    sockets.set(id, ws);
    const sender: IpcSender = {
      id,
      send: (event: AppEvent) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event } satisfies WsEventFrame));
      },
    };
    const answer = (frame: WsAnswer) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? null : requestFrame(String(data));
      if (!frame) {
        return answer({
          id: null,
          ok: false,
          error: {
            code: 'invalid_payload',
            message: 'a request is a JSON object {"id": <number>, "channel": "<channel>", "payload": {...}}',
          },
        });
      }
      void core!.table
        .dispatch(frame.channel, sender, frame.payload)
        .then((result) => answer({ id: frame.id, ...result }));
    });
    // A protocol error (a frame over the size limit...) ends this socket, not the host.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => sockets.delete(id));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  try {
    core = createCore({
      dataDir: options.dataDir,
      platform: WEB_PLATFORM,
      examplesDir: options.examplesDir,
      appDir: options.appDir,
      homeDir: options.homeDir ?? homedir(),
      version: options.version,
      trusts: (sender) => sockets.has(sender.id),
      demoRows: options.demoRows,
      workerEntry: options.workerEntry,
    });
  } catch (e) {
    server.close();
    throw e;
  }
  const app = core;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    core: app,
    async close() {
      for (const ws of sockets.values()) ws.close(1001, 'DataFlow Studio is stopping');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
