/** A connection's environment as a coloured chip (the connections list, the toolbar's target). */
import type { SavedConnection } from '../../shared/ipc.ts';
import { environmentOf } from './connection-form.ts';

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? '#000' : '#fff';
}

export function EnvironmentChip({ conn, testId }: { conn: SavedConnection; testId?: string }) {
  const env = environmentOf(conn);
  return (
    <span
      className={`env-chip${env.color ? '' : ' env-unset'}`}
      data-testid={testId}
      data-environment={conn.environment?.kind ?? 'unset'}
      style={env.color ? { background: env.color, color: textOn(env.color) } : undefined}
      title={env.color ? `Environment: ${env.label}` : 'Edit the connection to set its environment'}
    >
      {env.label}
    </span>
  );
}
