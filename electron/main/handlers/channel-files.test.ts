/**
 * Every IPC channel `x.y` is handled in handlers/x.ts, and only there: each handler file's
 * register function, called on the real app context, registers channels of its own prefix, and
 * together they register every channel of shared/ipc.ts once.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requests, type Channel } from '../../../shared/ipc.ts';
import { testCore, type TestCore } from '../../../test/app-core.ts';
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

const DIR = import.meta.dirname;
type Register = (ipc: IpcMainLike, ctx: AppContext) => void;

let core: TestCore;
beforeAll(() => {
  core = testCore();
});
afterAll(() => core.close());

/** File name (without .ts) -> the channels its register functions register. */
async function channelsByFile(): Promise<Record<string, Channel[]>> {
  const byFile: Record<string, Channel[]> = {};
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const module = (await import(join(DIR, file))) as Record<string, unknown>;
    const registers = Object.entries(module).filter(([name, value]) => /^register/.test(name) && value);
    if (registers.length === 0) continue; // a helper of the handlers (workflow-text.ts), not a handler file
    const channels: Channel[] = [];
    const recorder: IpcMainLike = { handle: (channel) => void channels.push(channel) };
    for (const [, register] of registers) (register as Register)(recorder, core.context);
    byFile[basename(file, '.ts')] = channels;
  }
  return byFile;
}

it('a channel x.y is registered by handlers/x.ts, every channel once', async () => {
  const byFile = await channelsByFile();
  for (const [file, channels] of Object.entries(byFile)) {
    expect(channels.length, file).toBeGreaterThan(0);
    for (const channel of channels) expect(`${file}: ${channel}`).toBe(`${channel.split('.')[0]}: ${channel}`);
  }
  const all = Object.values(byFile).flat();
  expect([...all].sort()).toEqual((Object.keys(requests) as Channel[]).sort());
});
