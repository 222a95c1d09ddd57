/**
 * Light or dark: the user's choice, or the OS's (prefers-color-scheme) for `system`, set as
 * `data-theme` on <html> where theme.css switches every colour. Follows the OS live while `system`.
 */
import type { ThemeChoice } from '../../shared/ui-settings.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

export type Theme = 'light' | 'dark';

export function resolveTheme(choice: ThemeChoice, osDark: boolean): Theme {
  return choice === 'system' ? (osDark ? 'dark' : 'light') : choice;
}

let stopFollowing: (() => void) | null = null;

/** Shows `choice` now and, for `system`, whenever the OS setting changes. */
export function applyTheme(choice: ThemeChoice): void {
  stopFollowing?.();
  stopFollowing = null;
  const media = window.matchMedia(DARK_QUERY);
  const show = () => {
    document.documentElement.dataset.theme = resolveTheme(choice, media.matches);
  };
  show();
  if (choice !== 'system') return;
  media.addEventListener('change', show);
  stopFollowing = () => media.removeEventListener('change', show);
}
