/** The shortcut sheet (`?`): every command of the registry by group, with its keys, and the mouse gestures. */
import { allCommands, shortcutLabel, type CommandGroup } from '../commands/registry.ts';
import { GESTURES } from '../commands/shortcuts.ts';
import './palette.css';

/** Each alternative (`Shift+F10 / Menu`) in a key cap of its own, so that none is split over two lines. */
function Keys({ keys }: { keys: string }) {
  return keys.split(' / ').map((k, i) => (
    <span key={k}>
      {i > 0 && ' / '}
      <kbd className="keycap">{shortcutLabel(k)}</kbd>
    </span>
  ));
}

export function ShortcutSheet() {
  const groups = new Map<CommandGroup, ReturnType<typeof allCommands>>();
  for (const c of allCommands()) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return (
    <div className="shortcut-sheet">
      <p className="muted">
        A command without keys: <kbd>{shortcutLabel('Mod+K')}</kbd>, then type its name.
      </p>
      {[...groups].map(([group, list]) => (
        <table key={group} className="shortcuts" data-testid={`shortcuts-${group}`}>
          <caption>{group}</caption>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <td>{c.keys ? <Keys keys={c.keys} /> : <span className="muted">—</span>}</td>
                <td>{c.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <table className="shortcuts">
        <caption>Mouse and canvas</caption>
        <tbody>
          {GESTURES.map((g) => (
            <tr key={g.keys}>
              <td>
                <kbd>{g.keys}</kbd>
              </td>
              <td>{g.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
