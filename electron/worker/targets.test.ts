import { describe, expect, it } from 'vitest';
import type { StoredConnection } from '../store/store.ts';
import { openTarget, scrub, scrubDeep, targetFor } from './targets.ts';

const pg = (sslMode: 'disable' | 'prefer' | 'require' | 'verify-full'): StoredConnection => ({
  id: 'c',
  demo: false,
  environment: null,
  name: 'pg',
  kind: 'postgres',
  host: 'db.internal',
  port: 6432,
  database: 'app db',
  user: 'ops@team',
  sslMode,
  readOnly: false,
});

describe('connection targets', () => {
  it('build PostgreSQL URLs with the password encoded and libpq SSL semantics', () => {
    const t = targetFor(pg('prefer'), 'p@ss:w/rd?');
    expect(t.kind).toBe('postgres');
    if (t.kind !== 'postgres') return;
    expect(t.label).toBe('postgres://ops@team@db.internal:6432/app db');
    expect(t.urls).toHaveLength(2);
    const [ssl, plain] = t.urls.map((u) => new URL(u));
    expect(decodeURIComponent(ssl!.password)).toBe('p@ss:w/rd?');
    expect(decodeURIComponent(ssl!.username)).toBe('ops@team');
    expect(decodeURIComponent(ssl!.pathname)).toBe('/app db');
    expect(Object.fromEntries(ssl!.searchParams)).toEqual({ uselibpqcompat: 'true', sslmode: 'prefer' });
    expect(Object.fromEntries(plain!.searchParams)).toEqual({ sslmode: 'disable' });
    const strict = targetFor(pg('verify-full'), null);
    expect(strict.kind === 'postgres' && strict.urls.map((u) => new URL(u).searchParams.get('sslmode'))).toEqual([
      'verify-full',
    ]);
    expect(strict.kind === 'postgres' && new URL(strict.urls[0]!).password).toBe('');
  });

  it('scrub the password from messages', () => {
    const t = targetFor(pg('disable'), 'hunter22');
    expect(scrub('login failed for postgres://u:hunter22@h/db', t)).toBe('login failed for postgres://u:***@h/db');
    expect(scrub('hunter22 was refused', t)).toBe('*** was refused');
  });

  it('scrub a password of letters only where it stands as a credential, not in the words around it', () => {
    const t = targetFor(pg('disable'), 'postgres');
    expect(scrub('postgres://postgres:postgres@h/postgres failed', t)).toBe(
      'postgres://postgres:***@h/postgres failed',
    );
    expect(scrub('host=h user=postgres password=postgres dbname=postgres', t)).toBe(
      'host=h user=postgres password=*** dbname=postgres',
    );
    expect(scrub("password: 'postgres'", t)).toBe("password: '***'");
    expect(scrubDeep({ dialect: 'postgres', url: 'postgres://u:postgres@h/db' }, t)).toEqual({
      dialect: 'postgres',
      url: 'postgres://u:***@h/db',
    });
  });

  it('scrub a whole answer, copying only the objects on the way to a string that held the password', () => {
    const t = targetFor(pg('disable'), 'hunter22');
    const kept = { sql: ['ALTER TABLE "t" ADD COLUMN "c" text'], put: [0, 1, 2] };
    const answer = { nodes: { n0: kept, n1: { error: { message: 'no route to u:hunter22@h' } } }, order: ['n0', 'n1'] };
    const scrubbed = scrubDeep(answer, t);
    expect(scrubbed.nodes.n1.error.message).toBe('no route to u:***@h');
    expect(scrubbed.nodes.n0).toBe(kept);
    expect(scrubbed.order).toBe(answer.order);
    expect(answer.nodes.n1.error.message).toBe('no route to u:hunter22@h');
    // The letters-only password in another case, as a credential: replaced too.
    expect(scrubDeep(['postgres', 'u:Postgres@h'], targetFor(pg('disable'), 'postgres'))).toEqual([
      'postgres',
      'u:***@h',
    ]);
  });

  it('never create a SQLite file that does not exist', async () => {
    await expect(openTarget({ kind: 'sqlite', path: '/nonexistent/dir/x.db', label: 'x' })).rejects.toThrow(
      /no SQLite database at \/nonexistent\/dir\/x\.db/,
    );
  });
});
