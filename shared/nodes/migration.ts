import * as z from 'zod';
import type { NodeDescription } from './description.ts';
import { str } from './subtitle.ts';

export const MIGRATION_STATUSES = ['pending', 'running', 'completed', 'failed', 'rolled_back'] as const;
export const MIGRATION_ACTIONS = ['record', 'check_status', 'check_rollback_needed'] as const;

export const migrationParams = z
  .object({
    migration_name: z.string().min(1).max(200),
    /** Recorded status; the guide's track/complete pairs use `pending` then `completed`. */
    status: z.enum(MIGRATION_STATUSES).optional(),
    /** Default `record` when `status` is given; `check_status` / `check_rollback_needed` only read. */
    action: z.enum(MIGRATION_ACTIONS).optional(),
    /** Free-form; the three known keys go to their own columns. Python's None (JSON null) means "not given". */
    metadata: z
      .object({
        version: z.string().nullish(),
        description: z.string().nullish(),
        breaking_change: z.boolean().nullish(),
      })
      .catchall(z.unknown())
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const action = p.action ?? 'record';
    if (action === 'record' && !p.status)
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: 'is required unless action is check_status or check_rollback_needed',
      });
    if (action !== 'record' && p.status)
      ctx.addIssue({ code: 'custom', path: ['status'], message: `is not used by action ${action}; remove it` });
  });
export type MigrationParams = z.infer<typeof migrationParams>;

export const migrationNode: NodeDescription<typeof migrationParams, 'MigrationNode'> = {
  type: 'MigrationNode',
  label: 'Migration',
  category: 'Migration',
  icon: 'history',
  description: 'Records or reads a migration in dataflow_migrations.',
  inputs: ['input'],
  outputs: ['result', 'migration_status', 'needs_rollback'],
  params: migrationParams,
  writes: true,
  defaults: { status: 'pending' },
  subtitle: (p) =>
    `${str(p.migration_name) || '?'}: ${str(p.action) && p.action !== 'record' ? str(p.action) : str(p.status) || '?'}`,
  fields: [
    { name: 'migration_name', label: 'Migration', widget: 'text' },
    { name: 'action', label: 'Action', widget: 'select', options: MIGRATION_ACTIONS },
    {
      name: 'status',
      label: 'Status',
      widget: 'select',
      options: MIGRATION_STATUSES,
      showWhen: { field: 'action', in: ['record'] },
    },
    {
      name: 'metadata',
      label: 'Metadata',
      widget: 'json',
      help: '{"version": "2.1.0", "description": "...", "breaking_change": false}',
    },
  ],
};
