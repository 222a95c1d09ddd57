import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc.ts';
import { menuTemplate } from './menu.ts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function build(recent: string[] = [], isMac = false) {
  const sent: [MenuCommand, string | undefined][] = [];
  const template = menuTemplate({
    isMac,
    recent,
    devTools: false,
    send: (command, path) => sent.push([command, path]),
  });
  return { template, items: flatten(template), sent };
}

const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('the native menu', () => {
  it('has the File, Edit, Run, View and Help menus with the usual accelerators', () => {
    const { template, items } = build();
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'Run', 'View', 'help']);
    const accel = Object.fromEntries(
      items.filter((i) => i.label && i.accelerator).map((i) => [i.label, i.accelerator]),
    );
    expect(accel).toMatchObject({
      New: 'CmdOrCtrl+N',
      'Open…': 'CmdOrCtrl+O',
      Save: 'CmdOrCtrl+S',
      'Save As…': 'CmdOrCtrl+Shift+S',
      Undo: 'CmdOrCtrl+Z',
      Redo: 'Ctrl+Y',
      'Select All': 'CmdOrCtrl+A',
    });
    expect(items.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'quit']));
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('sends every document command to the renderer', () => {
    const { items, sent } = build(['/home/me/a.dataflow.json']);
    for (const item of items) if (!item.role && !item.submenu) click(item);
    const commands = new Set(sent.map(([c]) => c));
    const all: MenuCommand[] = [
      'file.new',
      'file.open',
      'file.openRecent',
      'file.save',
      'file.saveAs',
      'file.importPython',
      'file.exportPython',
      'file.exportSql',
      'edit.undo',
      'edit.redo',
      'edit.selectAll',
      'run.plan',
      'run.rehearse',
      'run.apply',
      'run.cancel',
      'view.fit',
      'view.layout',
      'view.shortcuts',
    ];
    expect([...commands].sort()).toEqual([...all].sort());
    expect(sent).toContainEqual(['file.openRecent', '/home/me/a.dataflow.json']);
  });

  it('shows an empty Open Recent as disabled, and the macOS app menu on macOS', () => {
    const { items } = build();
    expect(items.find((i) => i.label === 'No Recent Files')).toMatchObject({ enabled: false });
    const mac = build([], true);
    expect(mac.template[0]).toEqual({ role: 'appMenu' });
    expect(mac.items.find((i) => i.label === 'Redo')?.accelerator).toBe('Shift+Cmd+Z');
  });
});
