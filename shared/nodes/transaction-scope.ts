import * as z from 'zod';
import type { NodeDescription } from './description.ts';
import { str } from './subtitle.ts';

export const ISOLATION_LEVELS = ['read committed', 'repeatable read', 'serializable'] as const;

export const transactionScopeParams = z
  .object({
    rollback_on_error: z.boolean().default(true),
    isolation_level: z.enum(ISOLATION_LEVELS).optional(),
    /** Seconds; the scope fails (and rolls back) when it runs longer. */
    timeout: z.number().positive().max(86_400).optional(),
  })
  .strict();
export type TransactionScopeParams = z.infer<typeof transactionScopeParams>;

export const transactionScopeNode: NodeDescription<typeof transactionScopeParams, 'TransactionScopeNode'> = {
  type: 'TransactionScopeNode',
  label: 'Transaction scope',
  category: 'Flow',
  icon: 'shield',
  description: 'Runs the nodes after it in one transaction: all commit together or none.',
  inputs: ['input'],
  outputs: ['result'],
  params: transactionScopeParams,
  writes: false,
  defaults: { rollback_on_error: true },
  subtitle: (p) =>
    [
      p.rollback_on_error === false ? 'no rollback on error' : 'rollback on error',
      str(p.isolation_level),
      p.timeout ? `${str(p.timeout)} s` : '',
    ]
      .filter(Boolean)
      .join(', '),
  fields: [
    { name: 'rollback_on_error', label: 'Roll back on error', widget: 'boolean' },
    { name: 'isolation_level', label: 'Isolation level', widget: 'select', options: ISOLATION_LEVELS },
    { name: 'timeout', label: 'Timeout (s)', widget: 'number' },
  ],
};
