import * as z from 'zod';
import { nodeRef, type NodeDescription } from './description.ts';
import { str } from './subtitle.ts';

export const switchParams = z
  .object({
    /** Usually a reference `":field"`; a plain value routes statically. */
    input: z.union([z.string(), z.number(), z.boolean()]),
    /** Value -> id of the node to run. */
    cases: z
      .record(z.string(), nodeRef)
      .refine((c) => Object.keys(c).length > 0, { message: 'needs at least one case' }),
    default: nodeRef.optional(),
  })
  .strict();
export type SwitchParams = z.infer<typeof switchParams>;

export const switchNode: NodeDescription<typeof switchParams, 'SwitchNode'> = {
  type: 'SwitchNode',
  label: 'Switch',
  category: 'Flow',
  icon: 'split',
  description: 'Runs only the node its input value selects; the other branches are skipped.',
  inputs: ['input'],
  outputs: ['result'],
  params: switchParams,
  writes: false,
  subtitle: (p) => {
    const cases = p.cases && typeof p.cases === 'object' ? Object.keys(p.cases) : [];
    return `${str(p.input) || '?'} → ${cases.join(' | ') || 'no cases'}${typeof p.default === 'string' ? ' | default' : ''}`;
  },
  fields: [
    { name: 'input', label: 'Input', widget: 'text', placeholder: ':migration_status' },
    {
      name: 'cases',
      label: 'Cases',
      widget: 'json',
      help: '{"pending": "apply_migration", "completed": "skip_migration"}',
    },
    { name: 'default', label: 'Default target', widget: 'text' },
  ],
};
