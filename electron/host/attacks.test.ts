/**
 * The web host's attack list: every request an attacker (a page in another tab, a rebinding DNS
 * name, a local process without the token, a client with the token sending garbage) could make is
 * refused, and no answer carries a file from outside the renderer, the token, a secret from a
 * JSON file under home, or a stack trace. Each attack is one row; the figures in
 * docs/reliability.md count them.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsAnswer } from '../../shared/ipc.ts';
import { APP_DIR, EXAMPLES_DIR } from '../../test/app-core.ts';
import { startWebHost, type WebHost } from './server.ts';

/** Texts no answer may hold: a file outside the renderer, a secret under home. */
const OUTSIDE = 'outside the renderer 4c1d';
const SECRET = 'home secret 9f2e';

let host: WebHost;
let base: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'dataflow-attacks-'));
  const renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>DataFlow Studio</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(base, 'secret.txt'), OUTSIDE);
  symlinkSync(join(base, 'secret.txt'), join(renderer, 'link-out.txt'));
  symlinkSync(base, join(renderer, 'linkdir'));
  mkdirSync(join(base, 'home', '.config'), { recursive: true });
  writeFileSync(join(base, 'home', '.config', 'credentials.json'), JSON.stringify({ token: SECRET }));
  host = await startWebHost({
    dataDir: join(base, 'data'),
    rendererDir: renderer,
    examplesDir: EXAMPLES_DIR,
    appDir: APP_DIR,
    homeDir: join(base, 'home'),
    version: '0.0.0-test',
    demoRows: 50,
  });
});
afterAll(() => host.close());

/** An HTTP request written byte for byte (no client normalises the path or the headers). */
function raw(requestText: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: host.port });
    let text = '';
    socket.on('data', (b: Buffer) => (text += b.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
    socket.write(requestText);
  });
}

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; text: string }> {
  const lines = Object.entries({ Host: `127.0.0.1:${host.port}`, Connection: 'close', ...headers })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return raw(`${method} ${path} HTTP/1.1\r\n${lines}\r\n`);
}

/** Nothing that must stay inside leaked into an answer. */
function expectNothingLeaked(text: string, what: string): void {
  expect(text, what).not.toContain(OUTSIDE);
  expect(text, what).not.toContain(SECRET);
  expect(text, what).not.toContain(host.token);
  expect(text, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const t = () => `token=${host.token}`;

describe('HTTP attacks on the web host', () => {
  const tokenAttacks: [string, () => string, () => Record<string, string>][] = [
    ['no token', () => '/', () => ({})],
    ['no token, a script', () => '/assets/app.js', () => ({})],
    ['an empty token', () => '/?token=', () => ({})],
    ['a wrong token', () => '/?token=wrong', () => ({})],
    ['the token with a character more', () => `/?${t()}x`, () => ({})],
    ['the token less a character', () => `/?${t().slice(0, -1)}`, () => ({})],
    ['the token under another name', () => `/?Token=${host.token}`, () => ({})],
    ['a wrong token first, the right one second', () => `/?token=wrong&${t()}`, () => ({})],
    ['a wrong cookie', () => '/', () => ({ Cookie: `dataflow_token_${host.port}=wrong` })],
    [
      'the token in the cookie of another port',
      () => '/',
      () => ({ Cookie: `dataflow_token_${host.port + 1}=${host.token}` }),
    ],
  ];
  it.each(tokenAttacks)('refuses %s with 401', async (what, path, headers) => {
    const answer = await get(path(), headers());
    expect(answer.status, answer.text).toBe(401);
    expect(answer.text).not.toContain('<title>');
    expectNothingLeaked(answer.text, what);
  });

  const hostAttacks: [string, () => string][] = [
    ['a rebinding DNS name', () => `attacker.example:${host.port}`],
    ['localhost', () => `localhost:${host.port}`],
    ['no port', () => '127.0.0.1'],
    ['another port', () => `127.0.0.1:${host.port + 1}`],
    ['IPv6 loopback', () => `[::1]:${host.port}`],
    ['user info before the address', () => `evil.example@127.0.0.1:${host.port}`],
    ['a suffix after the port', () => `127.0.0.1:${host.port}.evil.example`],
    ['upper case', () => `LOCALHOST:${host.port}`],
  ];
  it.each(hostAttacks)('refuses the Host %s even with the token', async (what, name) => {
    const answer = await get(`/?${t()}`, { Host: name() });
    expect(answer.status, answer.text).toBe(403);
    expectNothingLeaked(answer.text, what);
  });

  it('refuses a request without a Host header', async () => {
    const answer = await raw(`GET /?${t()} HTTP/1.0\r\n\r\n`);
    expect([400, 403]).toContain(answer.status);
    expect(answer.text).not.toContain('<title>');
  });

  const origins: [string, () => string][] = [
    ['another site', () => 'https://evil.example'],
    ['a null origin (a sandboxed frame, a file)', () => 'null'],
    ['localhost on the same port', () => `http://localhost:${host.port}`],
    ['the loopback on another port', () => `http://127.0.0.1:${host.port + 1}`],
    ['https on the same address', () => `https://127.0.0.1:${host.port}`],
  ];
  it.each(origins)('refuses the Origin of %s even with the token', async (what, origin) => {
    const answer = await get(`/?${t()}`, { Origin: origin() });
    expect(answer.status, answer.text).toBe(403);
    expectNothingLeaked(answer.text, what);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('refuses %s with 405', async (method) => {
    const answer = await get(`/?${t()}`, { 'Content-Length': '0' }, method);
    expect(answer.status).toBe(405);
  });

  const traversals = [
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/%2fetc%2fpasswd',
    '//etc/passwd',
    '/assets/%00/../../secret.txt',
    '/index.html%00.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%E0%A4%A',
    '/link-out.txt',
    '/linkdir/secret.txt',
    '/assets',
    '/assets/',
  ];
  it.each(traversals)('serves nothing for %s', async (path) => {
    const answer = await get(`${path}?${t()}`);
    expect([400, 404], answer.text).toContain(answer.status);
    expect(answer.text).not.toMatch(/root:.*:0:0:/);
    expectNothingLeaked(answer.text, path);
  });
});

/** An open socket with the token, or the status its upgrade was refused with. */
function openSocket(query: string, headers: Record<string, string> = {}, path = '/ipc'): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}${query}`, { headers, maxPayload: 64 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** Sends frames and collects every answer, in order. */
async function answersTo(frames: (string | Buffer)[]): Promise<WsAnswer[]> {
  const ws = await openSocket(`?${t()}`);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  const answers: WsAnswer[] = [];
  ws.on('message', (data) => answers.push(JSON.parse(String(data)) as WsAnswer));
  for (const f of frames) ws.send(f, { binary: Buffer.isBuffer(f) });
  const deadline = Date.now() + 20_000;
  while (answers.length < frames.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  return answers;
}

describe('WebSocket attacks on the web host', () => {
  const upgrades: [string, () => [string, Record<string, string>, string?], number][] = [
    ['no token', () => ['', {}], 401],
    ['a wrong token', () => ['?token=nope', {}], 401],
    ['a rebinding Host', () => [`?${t()}`, { Host: `evil.example:${host.port}` }], 403],
    ['another Origin', () => [`?${t()}`, { Origin: 'https://evil.example' }], 403],
    ['a null Origin', () => [`?${t()}`, { Origin: 'null' }], 403],
    ['another path', () => [`?${t()}`, {}, '/other'], 404],
    ['a path beside the endpoint', () => [`?${t()}`, {}, '/ipc2'], 404],
  ];
  it.each(upgrades)('refuses an upgrade with %s', async (_what, args, status) => {
    const [query, headers, path] = args();
    expect(await openSocket(query, headers, path)).toBe(status);
  });

  it('answers each malformed frame with invalid_payload and keeps serving the socket', async () => {
    const frames = [
      'not json',
      '{"id": 1, "channel": "app.info"',
      'null',
      '42',
      '[]',
      '"app.info"',
      '{"id": "1", "channel": "app.info", "payload": {}}',
      '{"id": 1, "payload": {}}',
      '{"id": 1, "channel": 7, "payload": {}}',
      Buffer.from('{"id": 1, "channel": "app.info", "payload": {}}'),
      '{"id": 2, "channel": "app.info", "payload": {}}',
    ];
    const answers = await answersTo(frames);
    expect(answers).toHaveLength(frames.length);
    for (const a of answers.slice(0, -1))
      expect(a).toMatchObject({ id: null, ok: false, error: { code: 'invalid_payload' } });
    expect(answers.at(-1)).toMatchObject({ id: 2, ok: true });
  });

  it('refuses unknown channels, the names of Object.prototype included', async () => {
    const names = [
      'nope',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'app.info ',
      'APP.INFO',
      '',
      'app',
    ];
    const answers = await answersTo(names.map((channel, i) => JSON.stringify({ id: i + 1, channel, payload: {} })));
    expect(answers.map((a) => [a.id, a.ok, !a.ok && a.error.code])).toEqual(
      names.map((_, i) => [i + 1, false, 'unknown_channel']),
    );
  });

  it('refuses channels called with bad params, naming the field, leaking nothing', async () => {
    const home = join(base, 'home');
    const calls: [string, unknown, string | undefined][] = [
      ['app.info', { extra: 1 }, 'extra'],
      ['app.info', null, undefined],
      ['history.list', { limit: -1 }, 'limit'],
      ['history.list', { limit: 1e9 }, 'limit'],
      ['history.get', { runId: 'x'.repeat(201) }, 'runId'],
      ['run.start', { text: 42, connectionId: 'demo', mode: 'apply' }, 'text'],
      ['run.start', { text: '{}', connectionId: 'demo', mode: 'destroy' }, 'mode'],
      ['run.start', { text: '{}', connectionId: 'demo', mode: 'apply', trustCode: true }, 'trustCode'],
      ['connections.save', { connection: { name: 'x', kind: 'mysql' } }, 'connection.kind'],
      ['schema.introspect', { connectionId: '' }, 'connectionId'],
      ['window.setDocumentState', { title: 'x'.repeat(501), dirty: false }, 'title'],
      ['workflow.open', { path: '/etc/passwd' }, 'path'],
      ['workflow.open', { path: '/etc/passwd.json' }, 'path'],
      ['workflow.open', { path: join(home, '..', 'secret.txt') }, 'path'],
      ['workflow.open', { path: join(home, '.config', 'credentials.json') }, 'path'],
      ['workflow.save', { path: join(home, 'x.json'), text: '{"not": "a workflow"}' }, 'text'],
      ['workflow.save', { path: join(home, '..', 'x.dataflow.json'), text: '{}' }, 'text'],
    ];
    const answers = await answersTo(
      calls.map(([channel, payload], i) => JSON.stringify({ id: i + 1, channel, payload })),
    );
    expect(answers).toHaveLength(calls.length);
    for (const [i, [channel, , field]] of calls.entries()) {
      const a = answers.find((x) => x.id === i + 1)!;
      expect(a, channel).toMatchObject({ ok: false });
      if (field !== undefined) expect(a.ok === false && a.error.field, `${channel} ${JSON.stringify(a)}`).toBe(field);
      expectNothingLeaked(JSON.stringify(a), channel);
    }
  });

  it('ends a socket that sends a frame over the size limit; the host goes on serving', async () => {
    const ws = await openSocket(`?${t()}`);
    if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {});
    ws.send(Buffer.alloc(33 * 1024 * 1024, 0x20), { binary: false });
    expect(await closed).toBe(1009);
    const [answer] = await answersTo(['{"id": 1, "channel": "app.info", "payload": {}}']);
    expect(answer).toMatchObject({ id: 1, ok: true });
  });
});
