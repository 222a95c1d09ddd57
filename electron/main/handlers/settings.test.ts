import { afterAll, beforeAll, expect, it } from 'vitest';
import { testCore, type TestCore } from '../../../test/app-core.ts';
import { UI_SETTINGS_KEY } from '../../../shared/ui-settings.ts';

let core: TestCore;
beforeAll(() => {
  core = testCore();
});
afterAll(() => core.close());

it('keeps the editor settings in store.db and answers them back', async () => {
  expect(await core.call('settings.ui', {})).toEqual({});
  const settings = { theme: 'dark' as const, panels: { bottom: { size: 420, collapsed: true } }, minimap: false };
  expect(await core.call('settings.saveUi', settings)).toBeNull();
  expect(await core.call('settings.ui', {})).toEqual(settings);
  expect(core.context.store.getSetting(UI_SETTINGS_KEY)).toEqual(settings);
});

it('refuses settings it does not know, and reads an unreadable stored value as none', async () => {
  await expect(core.call('settings.saveUi', { theme: 'purple' } as never)).rejects.toThrow(/theme/);
  core.context.store.setSetting(UI_SETTINGS_KEY, { theme: 'purple' });
  expect(await core.call('settings.ui', {})).toEqual({});
});
