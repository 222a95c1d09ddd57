/** The toolbar's theme choice: follow the OS, light or dark; remembered with the user's settings. */
import { THEME_CHOICES, type ThemeChoice } from '../../shared/ui-settings.ts';
import { useRoom } from '../layout/room.ts';

const LABELS: Record<ThemeChoice, string> = { system: '◐ System', light: '☀ Light', dark: '☾ Dark' };

export function ThemeToggle() {
  const theme = useRoom((s) => s.theme);
  return (
    <select
      className="theme-toggle"
      aria-label="Theme"
      title="Theme: follow the system, light or dark"
      data-testid="theme-select"
      value={theme}
      onChange={(e) => useRoom.getState().setTheme(e.target.value as ThemeChoice)}
    >
      {THEME_CHOICES.map((t) => (
        <option key={t} value={t}>
          {LABELS[t]}
        </option>
      ))}
    </select>
  );
}
