/**
 * Shared by the main-process tests: a core on a fresh data folder (the real store, real workers,
 * a small real demo database), a keyed cipher that stands where safeStorage does (the same two
 * calls), and a sender that records the events it is sent.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppEvent, Channel, Payload, Request, Responses } from '../shared/ipc.ts';
import type { RunEvent } from '../shared/run.ts';
import type { SecretCipher } from '../electron/store/secrets.ts';
import { createCore, type AppCore } from '../electron/main/core.ts';
import type { IpcSender } from '../electron/main/ipc-table.ts';
import { WEB_PLATFORM, type Platform } from '../electron/main/platform.ts';

export const EXAMPLES_DIR = fileURLToPath(new URL('../assets/examples/', import.meta.url));
/** The checkout, as the app's install folder of the test cores and hosts. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** AES-256-GCM under a random key: encrypts for real, like safeStorage with an OS key store. */
export function keyedCipher(backend: 'os' | 'basic_text' = 'os'): SecretCipher {
  const key = randomBytes(32);
  return {
    backend,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(blob) {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** A sender that keeps what it is sent. */
export class RecordingSender implements IpcSender {
  readonly events: AppEvent[] = [];
  private waiters: { test: (e: AppEvent) => boolean; resolve: (e: AppEvent) => void }[] = [];

  constructor(readonly id: string) {}

  send(event: AppEvent): void {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (w.test(event) ? (w.resolve(event), false) : true));
  }

  runEvents(runId: string): RunEvent[] {
    return this.events.flatMap((e) => (e.type === 'run' && e.event.runId === runId ? [e.event] : []));
  }

  /** Resolves with the run's `run_finished` event. */
  finished(runId: string, timeoutMs = 60_000): Promise<Extract<RunEvent, { type: 'run_finished' }>> {
    const done = this.runEvents(runId).find((e) => e.type === 'run_finished');
    if (done?.type === 'run_finished') return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        test: (e) => e.type === 'run' && e.event.runId === runId && e.event.type === 'run_finished',
        resolve: (e) => {
          clearTimeout(timer);
          resolve((e as Extract<AppEvent, { type: 'run' }>).event as Extract<RunEvent, { type: 'run_finished' }>);
        },
      });
    });
  }
}

export interface TestCore extends AppCore {
  dataDir: string;
  homeDir: string;
  sender: RecordingSender;
  /** Dispatches as the trusted sender; resolves the result or rejects with the IpcError. */
  call<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]>;
}

/** A core on a fresh data folder; its trusted sender is `sender`. */
export function testCore(options: { platform?: Partial<Platform>; demoRows?: number } = {}): TestCore {
  const base = mkdtempSync(join(tmpdir(), 'dataflow-app-'));
  const dataDir = join(base, 'data');
  const homeDir = join(base, 'home');
  mkdirSync(dataDir);
  mkdirSync(homeDir);
  const sender = new RecordingSender('test:window');
  const core = createCore({
    dataDir,
    homeDir,
    examplesDir: EXAMPLES_DIR,
    appDir: APP_DIR,
    version: '0.0.0-test',
    platform: { ...WEB_PLATFORM, ...options.platform },
    trusts: (s) => s.id === sender.id,
    demoRows: options.demoRows ?? 200,
  });
  return {
    ...core,
    dataDir,
    homeDir,
    sender,
    async call<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]> {
      const answer = await core.table.dispatch(channel, sender, payload as Payload<C>);
      if (!answer.ok) throw Object.assign(new Error(answer.error.message), { ipc: answer.error });
      return answer.result as Responses[C];
    },
  };
}
