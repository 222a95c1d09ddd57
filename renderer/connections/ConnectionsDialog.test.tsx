// @vitest-environment jsdom
/**
 * The Connections dialog in jsdom. A UI test of the form: the bridge is a plain `{invoke, on}`
 * object that checks every payload with the contract's own schemas (`parseRequest` of
 * shared/ipc.ts), keeps connections and password states as the main process does, rejects with
 * IpcErrors, and records each payload so the test can check exactly what the dialog sent. The real
 * handlers and databases are exercised by e2e/connections.spec.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import {
  parseRequest,
  type Bridge,
  type Channel,
  type IpcError,
  type Payload,
  type Responses,
  type SavedConnection,
  type SecretsStatus,
} from '../../shared/ipc.ts';
import { ConnectionsDialog } from './ConnectionsDialog.tsx';

afterEach(cleanup);

type Kept = SavedConnection['secretKept'];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Stored = DistributiveOmit<SavedConnection, 'hasSecret' | 'secretKept'>;

interface FakeMain {
  bridge: Bridge;
  /** Each valid request, in order. */
  sent: { channel: Channel; payload: unknown }[];
  connections: Map<string, Stored>;
  kept: Map<string, NonNullable<Kept>>;
  status(): SecretsStatus;
}

const DEMO: Stored = {
  id: 'demo',
  name: 'Demo database',
  kind: 'sqlite',
  path: '/data/demo.db',
  readOnly: false,
  demo: true,
  environment: { kind: 'development' },
};

/**
 * The main process's side of the connection channels, in memory. `test` answers
 * `connections.test` (the form only shows what it answers).
 */
function fakeMain(
  backend: SecretsStatus['backend'],
  test: (p: Payload<'connections.test'>) => Responses['connections.test'] = () => ({
    ok: true,
    serverVersion: 'SQLite 3.53.2',
    error: null,
  }),
): FakeMain {
  const connections = new Map<string, Stored>([[DEMO.id, DEMO]]);
  const kept = new Map<string, NonNullable<Kept>>();
  const sent: FakeMain['sent'] = [];
  let accepted = false;
  let next = 1;
  const status = (): SecretsStatus => ({ backend, weakStorageAccepted: accepted });
  const canStore = () => backend === 'os' || (backend === 'basic_text' && accepted);
  const view = (c: Stored) =>
    ({ ...c, hasSecret: kept.has(c.id), secretKept: kept.get(c.id) ?? null }) as SavedConnection;
  const refuse = (channel: Channel, field: string, message: string): IpcError => ({
    code: 'failed',
    channel,
    field,
    message: `field "${field}": ${message}`,
  });
  const handlers: { [C in Channel]?: (p: Payload<C>) => Responses[C] } = {
    'connections.list': () =>
      [...connections.values()]
        .sort((a, b) => Number(b.demo) - Number(a.demo) || a.name.localeCompare(b.name))
        .map(view),
    'connections.save': ({ connection, password, storePassword }) => {
      if (connection.kind === 'sqlite' && !connection.path.startsWith('/'))
        throw refuse('connections.save', 'connection.path', `"${connection.path}" is not an absolute path`);
      if (connection.id !== undefined && !connections.has(connection.id))
        throw refuse('connections.save', 'connection.id', `there is no saved connection "${connection.id}"`);
      const id = connection.id ?? `c${next++}`;
      const before = connections.get(id);
      const stored = {
        ...connection,
        id,
        demo: before?.demo ?? false,
        environment: connection.environment ?? before?.environment ?? null,
      };
      connections.set(id, stored);
      if (connection.kind === 'sqlite' || password === '') kept.delete(id);
      else if (password !== undefined) kept.set(id, storePassword && canStore() ? 'stored' : 'session');
      return view(stored);
    },
    'connections.delete': ({ id }) => {
      kept.delete(id);
      return { deleted: connections.delete(id) };
    },
    'connections.test': (p) => test(p),
    'secrets.status': status,
    'secrets.acceptWeakStorage': ({ accept }) => {
      accepted = accept;
      if (!accept) for (const [id, where] of kept) if (where === 'stored') kept.set(id, 'session');
      return status();
    },
  };
  const bridge: Bridge = {
    async invoke(channel, payload) {
      const parsed = parseRequest(channel, payload);
      if (!parsed.ok) throw parsed.error;
      sent.push({ channel, payload: parsed.payload });
      const handler = handlers[channel] as ((p: unknown) => Responses[typeof channel]) | undefined;
      if (!handler)
        throw { code: 'unknown_channel', message: `the dialog has no business with "${channel}"` } satisfies IpcError;
      return handler(parsed.payload);
    },
    on: () => () => undefined,
  };
  return { bridge, sent, connections, kept, status };
}

const add = (
  m: FakeMain,
  c: DistributiveOmit<Stored, 'demo' | 'environment'> & Partial<Pick<Stored, 'environment'>>,
  secret?: NonNullable<Kept>,
) => {
  m.connections.set(c.id, { ...c, demo: false, environment: c.environment ?? null });
  if (secret) m.kept.set(c.id, secret);
};
const PG = {
  kind: 'postgres',
  host: 'db.internal',
  port: 5433,
  database: 'shop',
  user: 'dba',
  sslMode: 'prefer',
  readOnly: false,
} as const;

function open(m: FakeMain, events: { saved?: SavedConnection[]; deleted?: string[]; closed?: number[] } = {}) {
  return render(
    <ConnectionsDialog
      open
      api={m.bridge}
      onClose={() => events.closed?.push(1)}
      onSaved={(c) => events.saved?.push(c)}
      onDeleted={(id) => events.deleted?.push(id)}
    />,
  );
}

/** The payloads sent on `channel`. */
const sentOn = <C extends Channel>(m: FakeMain, channel: C) =>
  m.sent.filter((s) => s.channel === channel).map((s) => s.payload as Payload<C>);

const byId = (id: string) => screen.getByTestId(id);
const type = (id: string, value: string) => fireEvent.change(byId(id), { target: { value } });
const errorOf = (field: string) => screen.queryByTestId(`conn-error-${field}`)?.textContent ?? null;
const submit = () => fireEvent.submit(byId('conn-form'));
const listed = () => screen.findByTestId('connections-list');
const checkbox = (id: string) => byId(id) as HTMLInputElement;

async function addNew(m: FakeMain, events: Parameters<typeof open>[1] = {}): Promise<void> {
  open(m, events);
  await listed();
  fireEvent.click(byId('connections-add'));
}

function fillPostgres(name: string): void {
  type('conn-name', name);
  fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
  type('conn-host', 'db.internal');
  type('conn-database', 'shop');
  type('conn-user', 'dba');
}

describe('the list', () => {
  it('shows the demo database first, then each connection with kind, target, read-only badge and how its password is kept', async () => {
    const m = fakeMain('none');
    add(m, { id: 'a', name: 'Archive', kind: 'sqlite', path: '/srv/archive.db', readOnly: true });
    add(m, { id: 's', name: 'Staging', ...PG }, 'session');
    add(m, { id: 'p', name: 'Production', ...PG, host: 'prod', readOnly: true }, 'stored');
    add(m, { id: 'r', name: 'Reporting', ...PG, port: 5432, user: 'viewer' });
    open(m);
    const rows = within(await listed())
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.getAttribute('data-name'))).toEqual([
      'Demo database',
      'Archive',
      'Production',
      'Reporting',
      'Staging',
    ]);
    expect(byId('connection-demo-demo').textContent).toBe('demo');
    expect(screen.queryByTestId('connection-demo-a')).toBeNull();
    expect(byId('connection-readonly-a').textContent).toBe('read-only');
    expect(byId('connection-readonly-p').textContent).toBe('read-only');
    expect(screen.queryByTestId('connection-readonly-s')).toBeNull();
    expect(byId('connection-target-a').textContent).toBe('/srv/archive.db');
    expect(byId('connection-target-s').textContent).toBe('dba@db.internal:5433/shop');
    expect(byId('connection-target-r').textContent).toBe('viewer@db.internal:5432/shop');
    expect(byId('connection-secret-p').textContent).toBe('password stored');
    expect(byId('connection-secret-s').textContent).toBe('password for this session only');
    expect(byId('connection-secret-r').textContent).toBe('no password kept');
    expect(byId('connection-secret-a').textContent).toBe('no password needed');
    expect(byId('connection-row-s').textContent).toContain('PostgreSQL');
    expect(byId('connection-row-a').textContent).toContain('SQLite');
  });

  it('says so when it cannot load, and when nothing is saved', async () => {
    const broken: Bridge = {
      invoke: () =>
        Promise.reject({
          code: 'failed',
          channel: 'connections.list',
          message: 'the app store is locked',
        } satisfies IpcError),
      on: () => () => undefined,
    };
    render(<ConnectionsDialog open api={broken} onClose={() => undefined} onSaved={() => undefined} />);
    expect((await screen.findByTestId('connections-error')).textContent).toBe(
      'Could not load the connections: the app store is locked',
    );
    expect((byId('connections-add') as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    const m = fakeMain('none');
    m.connections.clear();
    open(m);
    expect((await screen.findByTestId('connections-empty')).textContent).toBe('No saved connections yet.');
  });

  it('edits and deletes, the delete asking first', async () => {
    const m = fakeMain('none');
    add(m, { id: 'x', name: 'Old name', kind: 'sqlite', path: '/srv/x.db', readOnly: false });
    const saved: SavedConnection[] = [];
    const deleted: string[] = [];
    open(m, { saved, deleted });
    await listed();
    fireEvent.click(byId('connection-edit-x'));
    expect(byId('connections-title').textContent).toBe('Edit “Old name”');
    expect((byId('conn-path') as HTMLInputElement).value).toBe('/srv/x.db');
    type('conn-name', '  New name ');
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')).toEqual([
      {
        connection: { id: 'x', name: 'New name', kind: 'sqlite', path: '/srv/x.db', readOnly: false },
        storePassword: false,
      },
    ]);
    expect(saved[0]).toMatchObject({ id: 'x', name: 'New name' });
    await waitFor(() => expect(byId('connection-row-x').getAttribute('data-name')).toBe('New name'));
    expect(byId('connections-notice').textContent).toBe('Saved “New name”.');

    fireEvent.click(byId('connection-delete-x'));
    expect(document.activeElement).toBe(byId('connection-delete-cancel-x'));
    fireEvent.click(byId('connection-delete-cancel-x'));
    expect(screen.queryByTestId('connection-delete-confirm-x')).toBeNull();
    expect(sentOn(m, 'connections.delete')).toEqual([]);

    fireEvent.click(byId('connection-delete-x'));
    fireEvent.click(byId('connection-delete-confirm-x'));
    await waitFor(() => expect(screen.queryByTestId('connection-row-x')).toBeNull());
    expect(sentOn(m, 'connections.delete')).toEqual([{ id: 'x' }]);
    expect(deleted).toEqual(['x']);
    expect(byId('connections-notice').textContent).toBe('Deleted “New name”.');
  });
});

describe('the form', () => {
  it('shows every field error inline, from connectionSchema, and sends nothing while one remains', async () => {
    const m = fakeMain('none');
    await addNew(m);
    expect(byId('connections-title').textContent).toBe('New connection');
    expect(document.activeElement).toBe(byId('conn-name'));

    submit();
    expect(errorOf('name')).toBe('Give the connection a name (up to 200 characters).');
    expect(errorOf('path')).toBe('Give the full path of the SQLite file, e.g. /home/you/app.db.');
    expect(document.activeElement).toBe(byId('conn-name'));
    expect(byId('conn-name').getAttribute('aria-invalid')).toBe('true');
    expect(byId('conn-name').getAttribute('aria-describedby')).toBe('conn-name-error');

    type('conn-name', 'x'.repeat(201));
    expect(errorOf('name')).toBeNull();
    type('conn-path', 'data/shop.db');
    submit();
    expect(errorOf('name')).toMatch(/up to 200 characters/);
    expect(errorOf('path')).toBe(
      '“data/shop.db” is not a full path. Give the full path of the SQLite file, e.g. /home/you/app.db.',
    );
    type('conn-name', 'Shop');
    submit();
    expect(errorOf('name')).toBeNull();
    expect(document.activeElement).toBe(byId('conn-path'));

    fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
    expect(errorOf('path')).toBeNull();
    type('conn-host', ' ');
    type('conn-port', '70000');
    submit();
    expect(errorOf('host')).toMatch(/host name or IP address/);
    expect(errorOf('port')).toBe('The port is a whole number from 1 to 65535 (PostgreSQL listens on 5432 by default).');
    expect(errorOf('database')).toMatch(/name of the database/);
    expect(errorOf('user')).toMatch(/user name/);
    expect(document.activeElement).toBe(byId('conn-host'));
    type('conn-port', '54x');
    submit();
    expect(errorOf('port')).toMatch(/whole number/);
    fireEvent.click(byId('conn-test'));
    expect(errorOf('host')).toMatch(/host name/);

    expect(m.sent.map((s) => s.channel)).toEqual(['connections.list', 'secrets.status']);
  });

  it('switches the fields with the kind: a file for SQLite; host, port, database, user, password and SSL mode for PostgreSQL', async () => {
    await addNew(fakeMain('none'));
    const present = (ids: string[]) => ids.filter((id) => screen.queryByTestId(id) !== null);
    const pgFields = ['conn-host', 'conn-port', 'conn-database', 'conn-user', 'conn-password', 'conn-sslMode'];
    expect(present(['conn-name', 'conn-kind', 'conn-path', 'conn-readonly', ...pgFields])).toEqual([
      'conn-name',
      'conn-kind',
      'conn-path',
      'conn-readonly',
    ]);
    type('conn-name', 'Kept across kinds');
    fireEvent.click(byId('conn-readonly'));

    fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
    expect(present(['conn-path', ...pgFields])).toEqual(pgFields);
    expect((byId('conn-port') as HTMLInputElement).value).toBe('5432');
    expect((byId('conn-sslMode') as HTMLSelectElement).value).toBe('prefer');
    expect(Array.from((byId('conn-sslMode') as HTMLSelectElement).options).map((o) => o.value)).toEqual([
      'disable',
      'prefer',
      'require',
      'verify-full',
    ]);
    expect(byId('conn-password').getAttribute('type')).toBe('password');
    expect((byId('conn-name') as HTMLInputElement).value).toBe('Kept across kinds');
    expect(checkbox('conn-readonly').checked).toBe(true);

    fireEvent.change(byId('conn-kind'), { target: { value: 'sqlite' } });
    expect(present(['conn-path', ...pgFields])).toEqual(['conn-path']);
  });

  it('tests the connection as typed, shows the server version or the error, and saves it read-only', async () => {
    let answer: Responses['connections.test'] = {
      ok: false,
      serverVersion: null,
      error: "no SQLite database at /srv/missing.db: check the connection's file path",
    };
    const m = fakeMain('none', () => answer);
    const saved: SavedConnection[] = [];
    await addNew(m, { saved });
    type('conn-path', '/srv/missing.db');
    fireEvent.click(byId('conn-test'));
    await waitFor(() => expect(byId('conn-test-result').getAttribute('data-state')).toBe('failed'));
    expect(byId('conn-test-result').textContent).toBe(
      "Could not connect: no SQLite database at /srv/missing.db: check the connection's file path",
    );
    expect(errorOf('name')).toBeNull();

    answer = { ok: true, serverVersion: 'SQLite 3.53.2', error: null };
    type('conn-path', '/srv/shop.db');
    expect(byId('conn-test-result').getAttribute('data-state')).toBe('idle');
    fireEvent.click(byId('conn-test'));
    await waitFor(() => expect(byId('conn-test-result').textContent).toBe('Connected: SQLite 3.53.2'));
    expect(sentOn(m, 'connections.test')[1]).toEqual({
      connection: {
        name: 'unsaved connection',
        kind: 'sqlite',
        path: '/srv/shop.db',
        readOnly: false,
        environment: { kind: 'development' },
      },
    });

    type('conn-name', 'Shop');
    fireEvent.click(byId('conn-readonly'));
    expect((byId('conn-environment') as HTMLSelectElement).value).toBe('development');
    fireEvent.change(byId('conn-environment'), { target: { value: 'custom' } });
    submit();
    expect(errorOf('environment')).toMatch(/label of up to 40 characters/);
    type('conn-environment-label', 'QA');
    fireEvent.change(byId('conn-environment-color'), { target: { value: '#1971c2' } });
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')).toEqual([
      {
        connection: {
          name: 'Shop',
          kind: 'sqlite',
          path: '/srv/shop.db',
          readOnly: true,
          environment: { kind: 'custom', label: 'QA', color: '#1971c2' },
        },
        storePassword: false,
      },
    ]);
    expect(saved[0]).toMatchObject({ id: 'c1', name: 'Shop', readOnly: true, demo: false });
    await listed();
    expect(byId('connection-readonly-c1').textContent).toBe('read-only');
    expect(byId('connection-environment-c1').textContent).toBe('QA');
    expect(byId('connection-environment-c1').style.background).toBe('rgb(25, 113, 194)');
  });

  it('shows what the main process refuses: under its field, or above the buttons', async () => {
    const m = fakeMain('none');
    add(m, { id: 'gone', name: 'Moved', kind: 'sqlite', path: '/srv/moved.db', readOnly: false });
    open(m);
    await listed();
    fireEvent.click(byId('connection-edit-gone'));
    type('conn-path', 'C:\\data\\moved.db');
    submit();
    await waitFor(() => expect(errorOf('path')).toBe('"C:\\data\\moved.db" is not an absolute path'));
    expect(document.activeElement).toBe(byId('conn-path'));
    m.connections.delete('gone');
    type('conn-path', '/srv/moved.db');
    submit();
    await waitFor(() => expect(errorOf('general')).toBe('there is no saved connection "gone"'));
    expect((byId('conn-save') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('passwords', () => {
  it('in the browser app: says the password is kept for this session only, and offers no remember', async () => {
    const m = fakeMain('none');
    const saved: SavedConnection[] = [];
    await addNew(m, { saved });
    fillPostgres('Staging');
    expect(byId('conn-session-note').textContent).toMatch(
      /cannot store passwords: the password is kept for this session only/,
    );
    expect(screen.queryByTestId('conn-remember')).toBeNull();
    expect(screen.queryByTestId('conn-weak-warning')).toBeNull();
    type('conn-password', 'pw-1');
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')[0]).toMatchObject({ password: 'pw-1', storePassword: false });
    expect(saved[0]).toMatchObject({ hasSecret: true, secretKept: 'session' });
  });

  it('with a weak secret store: warns, stores nothing until the user agrees, then offers to remember; revoking asks again', async () => {
    const m = fakeMain('basic_text');
    const saved: SavedConnection[] = [];
    await addNew(m, { saved });
    fillPostgres('Before consent');
    expect(byId('conn-weak-warning').textContent).toMatch(
      /no secret store.*only be obfuscated.*kept for this session only/s,
    );
    expect(screen.queryByTestId('conn-remember')).toBeNull();
    type('conn-password', 'first-secret');
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')[0]).toMatchObject({ password: 'first-secret', storePassword: false });
    expect(saved[0]).toMatchObject({ id: 'c1', secretKept: 'session' });
    expect(sentOn(m, 'secrets.acceptWeakStorage')).toEqual([]);

    await listed();
    fireEvent.click(byId('connection-edit-c1'));
    expect(byId('conn-password').getAttribute('placeholder')).toBe('•••••• (kept)');
    expect(byId('conn-password-help').textContent).toMatch(/this session only.*leave this empty to keep it/);
    fireEvent.click(byId('conn-weak-accept'));
    await waitFor(() => expect(screen.queryByTestId('conn-remember')).not.toBeNull());
    expect(sentOn(m, 'secrets.acceptWeakStorage')).toEqual([{ accept: true }]);
    expect(screen.queryByTestId('conn-weak-warning')).toBeNull();
    expect(byId('conn-remember').closest('label')?.textContent).toMatch(/obfuscated only, as you agreed/);
    expect(checkbox('conn-remember').disabled).toBe(true);
    type('conn-password', 'second-secret');
    expect(checkbox('conn-remember').checked).toBe(true);
    submit();
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(sentOn(m, 'connections.save')[1]).toMatchObject({
      connection: { id: 'c1' },
      password: 'second-secret',
      storePassword: true,
    });
    expect(saved[1]).toMatchObject({ id: 'c1', secretKept: 'stored' });
    await waitFor(() => expect(byId('connection-secret-c1').textContent).toBe('password stored'));

    fireEvent.click(byId('connection-edit-c1'));
    fireEvent.click(byId('conn-weak-revoke'));
    await waitFor(() => expect(screen.queryByTestId('conn-weak-warning')).not.toBeNull());
    expect(sentOn(m, 'secrets.acceptWeakStorage')).toEqual([{ accept: true }, { accept: false }]);
    expect(m.status()).toEqual({ backend: 'basic_text', weakStorageAccepted: false });
  });

  it('with the OS secret store: remembers the typed password when asked, keeps it when the field is left empty, forgets it on request', async () => {
    const m = fakeMain('os', (p) =>
      p.password === 'right' || (p.password === undefined && p.id !== undefined && m.kept.has(p.id))
        ? { ok: true, serverVersion: 'PostgreSQL 17.6', error: null }
        : { ok: false, serverVersion: null, error: 'password authentication failed for user "dba"' },
    );
    const saved: SavedConnection[] = [];
    await addNew(m, { saved });
    fillPostgres('Test server');
    expect(screen.queryByTestId('conn-weak-warning')).toBeNull();
    expect(screen.queryByTestId('conn-session-note')).toBeNull();
    expect(byId('conn-remember').closest('label')?.textContent).toMatch(/encrypted with the system’s secret store/);
    fireEvent.change(byId('conn-sslMode'), { target: { value: 'require' } });

    type('conn-password', 'wrong');
    fireEvent.click(byId('conn-test'));
    await waitFor(() =>
      expect(byId('conn-test-result').textContent).toBe(
        'Could not connect: password authentication failed for user "dba"',
      ),
    );
    type('conn-password', 'right');
    fireEvent.click(byId('conn-test'));
    await waitFor(() => expect(byId('conn-test-result').textContent).toBe('Connected: PostgreSQL 17.6'));
    expect(checkbox('conn-remember').checked).toBe(true);
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')[0]).toEqual({
      connection: {
        name: 'Test server',
        kind: 'postgres',
        host: 'db.internal',
        port: 5432,
        database: 'shop',
        user: 'dba',
        sslMode: 'require',
        readOnly: false,
        environment: { kind: 'development' },
      },
      password: 'right',
      storePassword: true,
    });
    expect(saved[0]).toMatchObject({ id: 'c1', secretKept: 'stored' });

    await listed();
    fireEvent.click(byId('connection-edit-c1'));
    expect((byId('conn-password') as HTMLInputElement).value).toBe('');
    fireEvent.click(byId('conn-test'));
    await waitFor(() => expect(byId('conn-test-result').getAttribute('data-state')).toBe('ok'));
    expect(sentOn(m, 'connections.test')[2]).toEqual({
      id: 'c1',
      connection: expect.objectContaining({ id: 'c1', sslMode: 'require' }),
    });
    submit();
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(sentOn(m, 'connections.save')[1]).not.toHaveProperty('password');
    expect(saved[1]).toMatchObject({ secretKept: 'stored' });

    await listed();
    fireEvent.click(byId('connection-edit-c1'));
    fireEvent.click(byId('conn-forget'));
    submit();
    await waitFor(() => expect(saved).toHaveLength(3));
    expect(sentOn(m, 'connections.save')[2]).toMatchObject({ password: '' });
    expect(saved[2]).toMatchObject({ hasSecret: false, secretKept: null });
    await waitFor(() => expect(byId('connection-secret-c1').textContent).toBe('no password kept'));
  });

  it('unticked, the typed password is kept for the session only', async () => {
    const m = fakeMain('os');
    const saved: SavedConnection[] = [];
    await addNew(m, { saved });
    fillPostgres('Once');
    type('conn-password', 'pw');
    fireEvent.click(byId('conn-remember'));
    expect(byId('conn-remember').closest('label')?.textContent).toMatch(/otherwise it is kept for this session only/);
    submit();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sentOn(m, 'connections.save')[0]).toMatchObject({ password: 'pw', storePassword: false });
    expect(saved[0]).toMatchObject({ secretKept: 'session' });
  });
});

describe('the keyboard', () => {
  it('keeps focus inside, closes on Escape, lets no key or clipboard event reach the editor, and forgets the password when it closes', async () => {
    const m = fakeMain('none');
    const outside = document.createElement('button');
    document.body.append(outside);
    outside.focus();
    const leaked: string[] = [];
    const spy = (e: Event) => leaked.push(e.type);
    window.addEventListener('keydown', spy);
    document.addEventListener('paste', spy);
    const closed: number[] = [];
    const view = render(
      <ConnectionsDialog open api={m.bridge} onClose={() => closed.push(1)} onSaved={() => undefined} />,
    );
    await listed();
    // The list's effect moves the focus to Add once the connections are loaded (after the list shows).
    await waitFor(() => expect(document.activeElement).toBe(byId('connections-add')));
    const dialog = byId('connections-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');

    fireEvent.click(byId('connections-add'));
    fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
    type('conn-password', 'typed-secret-42');
    const save = byId('conn-save');
    save.focus();
    fireEvent.keyDown(save, { key: 'Tab' });
    expect(document.activeElement).toBe(byId('conn-name'));
    fireEvent.keyDown(byId('conn-name'), { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(save);
    act(() => outside.focus());
    expect(document.activeElement).toBe(byId('conn-name'));
    fireEvent.keyDown(byId('conn-host'), { key: 'Delete' });
    fireEvent.keyDown(byId('conn-host'), { key: 'a', ctrlKey: true });
    fireEvent.paste(byId('conn-host'));
    expect(leaked).toEqual([]);

    fireEvent.keyDown(byId('conn-host'), { key: 'Escape' });
    expect(closed).toEqual([1]);
    view.rerender(
      <ConnectionsDialog open={false} api={m.bridge} onClose={() => undefined} onSaved={() => undefined} />,
    );
    expect(screen.queryByTestId('connections-dialog')).toBeNull();
    expect(document.activeElement).toBe(outside);
    expect(document.body.innerHTML).not.toContain('typed-secret-42');
    view.rerender(<ConnectionsDialog open api={m.bridge} onClose={() => undefined} onSaved={() => undefined} />);
    await listed();
    fireEvent.click(byId('connections-add'));
    fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
    expect((byId('conn-password') as HTMLInputElement).value).toBe('');
    window.removeEventListener('keydown', spy);
    document.removeEventListener('paste', spy);
    outside.remove();
  });

  it('Back returns to the list and drops what was typed', async () => {
    await addNew(fakeMain('none'));
    fireEvent.change(byId('conn-kind'), { target: { value: 'postgres' } });
    type('conn-password', 'dropped-secret');
    fireEvent.click(byId('conn-cancel'));
    await listed();
    expect(byId('connections-dialog').getAttribute('data-view')).toBe('list');
    await waitFor(() => expect(document.activeElement).toBe(byId('connections-add')));
    expect(document.body.innerHTML).not.toContain('dropped-secret');
  });
});
