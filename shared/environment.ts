/**
 * A connection's environment: development, staging, production, or a label of the user's own with
 * a colour. The editor shows it beside the target (production as a red band across the window) and
 * asks for the connection's name before applying to production. Stored in store.db's
 * `connections` table (store migration 3), not in the connection's config.
 */
import * as z from 'zod';

export const ENVIRONMENT_KINDS = ['development', 'staging', 'production', 'custom'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

/** The colours of the three named environments (fixed, so production is always red). */
export const ENVIRONMENT_COLORS: Record<Exclude<EnvironmentKind, 'custom'>, string> = {
  development: '#2b8a3e',
  staging: '#a85400',
  production: '#c92a2a',
};

/** The colour a new custom environment starts with. */
export const CUSTOM_DEFAULT_COLOR = '#5f3dc4';

export const environmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('development') }).strict(),
  z.object({ kind: z.literal('staging') }).strict(),
  z.object({ kind: z.literal('production') }).strict(),
  z
    .object({
      kind: z.literal('custom'),
      label: z.string().trim().min(1).max(40),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    })
    .strict(),
]);
export type Environment = z.output<typeof environmentSchema>;

/** How the environment reads on screen: `production`, or the custom label. */
export function environmentLabel(env: Environment): string {
  return env.kind === 'custom' ? env.label : env.kind;
}

export function environmentColor(env: Environment): string {
  return env.kind === 'custom' ? env.color : ENVIRONMENT_COLORS[env.kind];
}
