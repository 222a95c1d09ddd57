import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresVersionProblem, UnsupportedServerError } from '../db/connect.ts';
import { openError } from './target-error.ts';
import { dbTargetOf, parseTargetsFile, readTargetsFile, TargetsFileError } from './targets.ts';

const FILE = '/srv/fleet/targets.json';

describe('targets file', () => {
  it('reads each target with the line it starts on; SQLite paths resolve from the file', () => {
    const text = `[
  {"label": "eu-1", "connection": "sqlite:eu1.db", "environment": "production", "tags": ["eu"]},
  {
    "label": "us-1",
    "connection": "postgres://ops@db.us:6432/app",
    "password_env": "US1_PASSWORD"
  }
]`;
    const { targets, invalid } = parseTargetsFile(text, FILE);
    expect(invalid).toEqual([]);
    expect(targets).toEqual([
      {
        label: 'eu-1',
        connection: 'sqlite:/srv/fleet/eu1.db',
        connectionLabel: 'sqlite:/srv/fleet/eu1.db',
        environment: 'production',
        tags: ['eu'],
        passwordEnv: null,
        source: `${FILE}:2`,
      },
      {
        label: 'us-1',
        connection: 'postgres://ops@db.us:6432/app',
        connectionLabel: 'postgres://ops@db.us:6432/app',
        environment: null,
        tags: [],
        passwordEnv: 'US1_PASSWORD',
        source: `${FILE}:3`,
      },
    ]);
  });

  it('refuses a syntax error naming the file and the line', () => {
    const text = '[\n  {"label": "a", "connection": "sqlite:a.db"},\n  {"label": "b" "connection": "sqlite:b.db"}\n]';
    expect(() => parseTargetsFile(text, FILE)).toThrow(TargetsFileError);
    expect(() => parseTargetsFile(text, FILE)).toThrow(
      /^\/srv\/fleet\/targets\.json:3: not valid JSON .*fix the file's syntax/,
    );
    expect(() => parseTargetsFile('{"label": "a"}', FILE)).toThrow(/targets\.json:1: is not a JSON array/);
    expect(() => parseTargetsFile('[]', FILE)).toThrow(/lists no targets/);
  });

  it('refuses per entry: duplicates, a password in the file, a missing label, an unknown field', () => {
    const text = `[
  {"label": "a", "connection": "sqlite:a.db"},
  {"label": "a", "connection": "sqlite:other.db"},
  {"label": "b", "connection": "sqlite:./a.db"},
  {"label": "c", "connection": "postgres://ops:hunter22@db:5432/app"},
  {"connection": "sqlite:d.db"},
  {"label": "e", "connection": "sqlite:e.db", "pasword_env": "X"},
  {"label": "f", "connection": "mysql://x"},
  {"label": "g", "connection": "postgres://ops@DB:5432/app"},
  {"label": "h", "connection": "postgres://ops2@db/app"}
]`;
    const { targets, invalid } = parseTargetsFile(text, FILE);
    expect(targets.map((t) => t.label)).toEqual(['a', 'g']);
    expect(invalid.map((t) => [t.label, t.source.slice(FILE.length), t.field])).toEqual([
      ['a', ':3', 'label'],
      ['b', ':4', 'connection'],
      ['c', ':5', 'connection'],
      ['entry 5', ':6', 'label'],
      ['e', ':7', 'pasword_env'],
      ['f', ':8', 'connection'],
      ['h', ':10', 'connection'],
    ]);
    expect(invalid[0]!.message).toMatch(/duplicates the label of the target at \/srv\/fleet\/targets\.json:2/);
    expect(invalid[1]!.message).toMatch(/is the same database as target "a" \(\/srv\/fleet\/targets\.json:2\)/);
    expect(invalid[2]!.message).toMatch(/holds a password: passwords never go in the targets/);
    expect(JSON.stringify(invalid)).not.toContain('hunter22');
    expect(invalid[6]!.message).toMatch(/same database as target "g"/);
  });

  it('takes a PostgreSQL password from the variable password_env names, and says which when unset', () => {
    const { targets } = parseTargetsFile(
      '[{"label": "p", "connection": "postgres://ops@db:5432/app", "password_env": "P_PW"}]',
      FILE,
    );
    const target = dbTargetOf(targets[0]!, { P_PW: 'p@ss%word' });
    expect(target.kind === 'postgres' && decodeURIComponent(new URL(target.urls[0]!).password)).toBe('p@ss%word');
    expect(target.label).toBe('postgres://ops@db:5432/app');
    expect(() => dbTargetOf(targets[0]!, {})).toThrow(/"password_env" names P_PW, which is not set: export P_PW/);
  });

  it('names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-targets-'));
    await expect(readTargetsFile(join(dir, 'none.json'))).rejects.toThrow(/none\.json: no such file/);
    writeFileSync(join(dir, 't.json'), '[{"label": "x", "connection": "sqlite:x.db"}]');
    expect((await readTargetsFile(join(dir, 't.json'))).targets[0]!.connection).toBe(`sqlite:${join(dir, 'x.db')}`);
  });

  it('reports a PostgreSQL older than 12 as an unsupported server, naming the target', () => {
    const label = 'postgres://ops@db:5432/app';
    expect(postgresVersionProblem(170010, '17.10', label)).toBeNull();
    expect(postgresVersionProblem(120000, '12.0', label)).toBeNull();
    const problem = postgresVersionProblem(110022, '11.22', label)!;
    expect(problem).toBe(
      'postgres://ops@db:5432/app runs PostgreSQL 11.22, older than DataFlow Studio supports (PostgreSQL 12 or newer): upgrade the server',
    );
    expect(openError('legacy', new UnsupportedServerError(problem))).toEqual({
      kind: 'unsupported_server',
      message: `legacy: ${problem}`,
    });
  });
});
