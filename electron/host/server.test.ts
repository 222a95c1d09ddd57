import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppEvent, Channel, Request, Responses, WsAnswer } from '../../shared/ipc.ts';
import type { RunEvent } from '../../shared/run.ts';
import { APP_DIR, EXAMPLES_DIR } from '../../test/app-core.ts';
import { startWebHost, type WebHost } from './server.ts';

let host: WebHost;
let base: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'dataflow-host-'));
  const renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(
    join(renderer, 'index.html'),
    '<!doctype html><title>DataFlow Studio</title><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  mkdirSync(join(base, 'home'));
  host = await startWebHost({
    dataDir: join(base, 'data'),
    rendererDir: renderer,
    examplesDir: EXAMPLES_DIR,
    appDir: APP_DIR,
    homeDir: join(base, 'home'),
    version: '0.0.0-test',
    demoRows: 300,
  });
});
afterAll(() => host.close());

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves it when open, or the HTTP status the upgrade was refused with. */
function openSocket(query: string, headers: Record<string, string> = {}, path = '/ipc'): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

class Client {
  private next = 0;
  private readonly pending = new Map<number, (a: WsAnswer) => void>();
  readonly events: AppEvent[] = [];
  readonly raw: unknown[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as WsAnswer | { event: AppEvent };
      this.raw.push(frame);
      if ('event' in frame) this.events.push(frame.event);
      else if (typeof frame.id === 'number') this.pending.get(frame.id)?.(frame);
    });
  }

  send<C extends Channel>(channel: C, payload: Request<C>): Promise<WsAnswer> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  async call<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]> {
    const answer = await this.send(channel, payload);
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.result as Responses[C];
  }

  async runEvents(runId: string, timeoutMs = 60_000): Promise<RunEvent[]> {
    const started = Date.now();
    for (;;) {
      const events = this.events.flatMap((e) => (e.type === 'run' && e.event.runId === runId ? [e.event] : []));
      if (events.some((e) => e.type === 'run_finished')) return events;
      if (Date.now() - started > timeoutMs) throw new Error(`run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function client(): Promise<Client> {
  const ws = await openSocket(`?token=${host.token}`);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  return new Client(ws);
}

describe('the web host over HTTP', () => {
  it('prints an address on the loopback interface with its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get(`/?token=${host.token.slice(0, -1)}x`)).status).toBe(401);
    expect((await get('/', { Cookie: `dataflow_token_${host.port}=wrong` })).status).toBe(401);
  });

  it('refuses another Host (DNS rebinding) even with the token', async () => {
    const answer = await get(`/?token=${host.token}`, { Host: `attacker.example:${host.port}` });
    expect(answer.status).toBe(403);
    expect((await get(`/?token=${host.token}`, { Host: `localhost:${host.port}` })).status).toBe(403);
  });

  it('serves the renderer with a strict CSP, and its files through the cookie it sets', async () => {
    const page = await get(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>DataFlow Studio</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`dataflow_token_${host.port}=${host.token}`);
    const script = await get('/assets/app.js', { Cookie: cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const answer = await get(`${path}${path.includes('?') ? '&' : '?'}token=${host.token}`);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain('outside the renderer');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: host.port });
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(reached, address).toBe(false);
    }
  });
});

describe('the web host over WebSocket', () => {
  it('refuses an upgrade without the right token, Host or Origin', async () => {
    expect(await openSocket('')).toBe(401);
    expect(await openSocket('?token=nope')).toBe(401);
    expect(await openSocket(`?token=${host.token}`, { Host: `evil.example:${host.port}` })).toBe(403);
    expect(await openSocket(`?token=${host.token}`, { Origin: 'https://evil.example' })).toBe(403);
    expect(await openSocket(`?token=${host.token}`, {}, '/other')).toBe(404);
  });

  it('answers requests by id and says so when a frame is not a request', async () => {
    const c = await client();
    const answer = await c.send('catalog.list', {});
    expect(answer).toMatchObject({ id: 1, ok: true });
    expect(await c.send('nope' as Channel, {} as never)).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'unknown_channel' },
    });
    c.ws.send('not json');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.raw.at(-1)).toMatchObject({ id: null, ok: false, error: { code: 'invalid_payload' } });
    c.ws.close();
  });

  it('streams the events of a run started over it, and the run lands in the history', async () => {
    const c = await client();
    const [demo] = await c.call('connections.list', {});
    expect(demo).toMatchObject({ id: 'demo', demo: true, kind: 'sqlite', hasSecret: false });
    const text = readFileSync(join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'), 'utf8');
    const { runId } = await c.call('run.start', {
      text,
      connectionId: 'demo',
      mode: 'rehearse',
      filePath: join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'),
    });
    const events = await c.runEvents(runId);
    expect(events.map((e) => e.type)).toEqual(['run_started', 'node_started', 'node_finished', 'run_finished']);
    const finished = events.at(-1) as Extract<RunEvent, { type: 'run_finished' }>;
    expect(finished.result.status).toBe('succeeded');
    expect(finished.result.diff?.changes.length).toBeGreaterThan(0);

    const history = await c.call('history.list', {});
    expect(history[0]).toMatchObject({
      runId,
      mode: 'rehearse',
      status: 'succeeded',
      connection: 'Demo database',
      filePath: join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'),
    });
    expect(await c.call('history.get', { runId })).toEqual(finished.result);
    c.ws.close();
  });

  it('plans for the preview without events and without a history entry', async () => {
    const c = await client();
    const text = readFileSync(join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'), 'utf8');
    const before = await c.call('history.list', {});
    const plan = await c.call('run.plan', { text, connectionId: 'demo' });
    expect(plan.mode).toBe('plan');
    expect(plan.status).toBe('succeeded');
    expect(
      Object.values(plan.nodes)
        .flatMap((n) => n.sql.map((s) => s.sql))
        .join('\n'),
    ).toMatch(/ADD COLUMN "notes"/);
    expect(await c.call('history.list', {})).toEqual(before);
    c.ws.close();
  });

  it('refuses apply on a read-only connection and still rehearses on it', async () => {
    const c = await client();
    const demoPath = (await c.call('connections.list', {}))[0]!;
    const ro = await c.call('connections.save', {
      connection: {
        name: 'Demo, read-only',
        kind: 'sqlite',
        path: (demoPath as { path: string }).path,
        readOnly: true,
      },
    });
    const text = readFileSync(join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'), 'utf8');
    const refused = await c.send('run.start', { text, connectionId: ro.id, mode: 'apply' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', field: 'mode', message: expect.stringContaining('read-only') },
    });
    const { runId } = await c.call('run.start', { text, connectionId: ro.id, mode: 'plan' });
    const events = await c.runEvents(runId);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', result: { status: 'succeeded', mode: 'plan' } });
    c.ws.close();
  });
});
