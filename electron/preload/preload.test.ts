import { describe, expect, it } from 'vitest';
import { BRIDGE_GLOBAL, IPC_EVENT_CHANNEL, IPC_NAMESPACE, requests } from '../../shared/ipc.ts';
import { CHANNEL_FORM, EVENT_CHANNEL, GLOBAL_NAME, NAMESPACE } from './channels.ts';

describe('the preload names', () => {
  it("are the contract's", () => {
    expect(NAMESPACE).toBe(IPC_NAMESPACE);
    expect(EVENT_CHANNEL).toBe(IPC_EVENT_CHANNEL);
    expect(GLOBAL_NAME).toBe(BRIDGE_GLOBAL);
  });

  it('let every channel of the contract through and nothing that leaves the namespace', () => {
    for (const channel of Object.keys(requests)) expect(CHANNEL_FORM.test(channel), channel).toBe(true);
    for (const channel of ['', 'event', ':event', 'catalog.list:x', '../x', 'a.b.c', 'catalog list'])
      expect(CHANNEL_FORM.test(channel), channel).toBe(false);
  });
});
