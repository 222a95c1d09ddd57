/**
 * The toolbar's File menu: New, Open, Save, Save as, Import Python, Export Python and Export SQL,
 * each with its shortcut (from the command registry, whose keys work without the menu). Opened by
 * a click, Enter, Space or ArrowDown; arrows move between items, Escape closes and gives the focus
 * back to the button.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { runCommand, type Command } from '../commands/index.ts';
import { command as commandDef, shortcutLabel } from '../commands/registry.ts';
import { useDismiss } from '../menus/Menu.tsx';

const ITEMS: readonly [Command, string, string][] = [
  ['file.new', 'New', 'btn-new'],
  ['file.open', 'Open…', 'btn-open'],
  ['file.save', 'Save', 'btn-save'],
  ['file.saveAs', 'Save as…', 'btn-save-as'],
  ['file.importPython', 'Import Python…', 'btn-import'],
  ['file.exportPython', 'Export Python…', 'btn-export-python'],
  ['file.exportSql', 'Export SQL…', 'btn-export-sql'],
];

const keysOf = (command: Command) => commandDef(command)?.keys;

export function FileMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(root, () => setOpen(false));
  const items = () => [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (e.key === 'Escape' || e.key === 'Tab') close();
    else if (step !== 0) all[(at + step + all.length) % all.length]?.focus();
    else if (e.key === 'Home' || e.key === 'End') all[e.key === 'Home' ? 0 : all.length - 1]?.focus();
    else return;
    e.preventDefault();
  };
  return (
    <div className="file-menu" ref={root}>
      <button
        ref={button}
        type="button"
        data-testid="btn-file-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? 'file-menu-list' : undefined}
        title="File: new, open, save, import and export"
        onClick={() => {
          setOpen(!open);
          if (!open) requestAnimationFrame(() => items()[0]?.focus());
        }}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' || open) return;
          e.preventDefault();
          setOpen(true);
          requestAnimationFrame(() => items()[0]?.focus());
        }}
      >
        File ▾
      </button>
      {open && (
        <div className="toolbar-menu" id="file-menu-list" role="menu" aria-label="File" onKeyDown={onMenuKey}>
          {ITEMS.map(([command, label, testId]) => {
            const keys = keysOf(command);
            return (
              <button
                key={command}
                type="button"
                role="menuitem"
                tabIndex={-1}
                data-testid={testId}
                onClick={() => {
                  close();
                  runCommand(command);
                }}
              >
                <span>{label}</span>
                {keys && <kbd>{shortcutLabel(keys)}</kbd>}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
