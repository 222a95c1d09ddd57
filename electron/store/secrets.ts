/**
 * Connection passwords. Stored ones are encrypted by the platform's cipher (Electron safeStorage,
 * or in tests a keyed cipher through the same two calls) and written to `secrets.json`, a file of
 * encrypted blobs apart from the app database; nothing is stored in clear anywhere. Where the
 * cipher is only obfuscation (`basic_text`), nothing is stored until the user accepts that; until
 * then, and where there is no cipher at all (`none`, the web host), passwords live in memory for
 * this session only.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretsStatus } from '../../shared/ipc.ts';
import type { AppStore } from './store.ts';

/** safeStorage's shape: what the platform gives the secret store. */
export type SecretCipher =
  | { backend: 'os' | 'basic_text'; encryptString(plain: string): Buffer; decryptString(blob: Buffer): string }
  | { backend: 'none' };

export const WEAK_STORAGE_SETTING = 'secrets.weakStorageAccepted';
const FORMAT = 'dataflow-secrets';

interface SecretsFile {
  format: typeof FORMAT;
  version: 1;
  /** Connection id -> base64 of the encrypted password. */
  secrets: Record<string, string>;
}

export class SecretStore {
  private readonly session = new Map<string, string>();
  private readonly file: string;

  constructor(
    dir: string,
    private readonly cipher: SecretCipher,
    private readonly store: AppStore,
  ) {
    this.file = join(dir, 'secrets.json');
  }

  status(): SecretsStatus {
    return {
      backend: this.cipher.backend,
      weakStorageAccepted: this.store.getSetting<boolean>(WEAK_STORAGE_SETTING) === true,
    };
  }

  /** True when a password may be written to disk now. */
  canStore(): boolean {
    const { backend, weakStorageAccepted } = this.status();
    return backend === 'os' || (backend === 'basic_text' && weakStorageAccepted);
  }

  /**
   * Records the user's answer about weak storage. Refusing moves every stored password into this
   * session's memory and deletes the file.
   */
  acceptWeakStorage(accept: boolean): SecretsStatus {
    this.store.setSetting(WEAK_STORAGE_SETTING, accept);
    if (!accept && this.cipher.backend === 'basic_text') {
      for (const id of Object.keys(this.read().secrets)) {
        const plain = this.get(id);
        if (plain !== null) this.session.set(id, plain);
      }
      rmSync(this.file, { force: true });
    }
    return this.status();
  }

  /** Keeps `password` for connection `id`: on disk when asked and allowed, else for this session. */
  set(id: string, password: string, persist: boolean): 'stored' | 'session' {
    if (persist && this.canStore() && this.cipher.backend !== 'none') {
      const data = this.read();
      data.secrets[id] = this.cipher.encryptString(password).toString('base64');
      this.write(data);
      this.session.delete(id);
      return 'stored';
    }
    this.session.set(id, password);
    this.removeStored(id);
    return 'session';
  }

  get(id: string): string | null {
    const kept = this.session.get(id);
    if (kept !== undefined) return kept;
    const blob = this.read().secrets[id];
    if (blob === undefined || this.cipher.backend === 'none') return null;
    return this.cipher.decryptString(Buffer.from(blob, 'base64'));
  }

  kept(id: string): 'stored' | 'session' | null {
    if (this.session.has(id)) return 'session';
    return this.read().secrets[id] !== undefined ? 'stored' : null;
  }

  delete(id: string): void {
    this.session.delete(id);
    this.removeStored(id);
  }

  private removeStored(id: string): void {
    const data = this.read();
    if (data.secrets[id] === undefined) return;
    delete data.secrets[id];
    this.write(data);
  }

  private read(): SecretsFile {
    if (!existsSync(this.file)) return { format: FORMAT, version: 1, secrets: {} };
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<SecretsFile>;
    if (
      parsed.format !== FORMAT ||
      parsed.version !== 1 ||
      typeof parsed.secrets !== 'object' ||
      parsed.secrets === null
    ) {
      throw new Error(`${this.file} is not a DataFlow Studio secrets file; move it away and enter the passwords again`);
    }
    return parsed as SecretsFile;
  }

  /** Atomic replace, owner-only permissions. */
  private write(data: SecretsFile): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
