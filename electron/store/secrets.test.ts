import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyedCipher } from '../../test/app-core.ts';
import { SecretStore, type SecretCipher } from './secrets.ts';
import { AppStore } from './store.ts';

const PASSWORD = 'correct horse battery staple';
const opened: AppStore[] = [];
function secretsWith(cipher: SecretCipher) {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-secrets-'));
  const store = new AppStore(dir);
  opened.push(store);
  return { dir, store, secrets: new SecretStore(dir, cipher, store) };
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('secrets', () => {
  it('stores encrypted blobs apart from the app database, readable again only through the cipher', () => {
    const cipher = keyedCipher('os');
    const { dir, store, secrets } = secretsWith(cipher);
    expect(secrets.set('c1', PASSWORD, true)).toBe('stored');
    const file = readFileSync(join(dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain(PASSWORD);
    expect(JSON.parse(file).secrets.c1).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(new SecretStore(dir, cipher, store).get('c1')).toBe(PASSWORD);
    expect(secrets.kept('c1')).toBe('stored');
    secrets.delete('c1');
    expect(secrets.get('c1')).toBeNull();
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).secrets).toEqual({});
  });

  it('keeps a password only for the session when asked not to store it', () => {
    const { dir, secrets } = secretsWith(keyedCipher('os'));
    expect(secrets.set('c1', PASSWORD, false)).toBe('session');
    expect(secrets.get('c1')).toBe(PASSWORD);
    expect(secrets.kept('c1')).toBe('session');
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
  });

  it('stores nothing with basic_text until the user accepts, and takes stored ones back to memory on refusal', () => {
    const cipher = keyedCipher('basic_text');
    const { dir, store, secrets } = secretsWith(cipher);
    expect(secrets.status()).toEqual({ backend: 'basic_text', weakStorageAccepted: false });
    expect(secrets.set('c1', PASSWORD, true)).toBe('session');
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);

    expect(secrets.acceptWeakStorage(true)).toEqual({ backend: 'basic_text', weakStorageAccepted: true });
    expect(secrets.set('c1', PASSWORD, true)).toBe('stored');
    expect(new SecretStore(dir, cipher, store).get('c1')).toBe(PASSWORD);

    secrets.acceptWeakStorage(false);
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(secrets.get('c1')).toBe(PASSWORD);
    expect(secrets.kept('c1')).toBe('session');
  });

  it('without a cipher keeps passwords in memory only', () => {
    const { dir, secrets } = secretsWith({ backend: 'none' });
    expect(secrets.set('c1', PASSWORD, true)).toBe('session');
    expect(secrets.get('c1')).toBe(PASSWORD);
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
  });
});
