import * as z from 'zod';
import type { NodeDescription } from './description.ts';
import { str, type RawParams } from './subtitle.ts';

export const codeParams = z
  .object({
    code: z.string().min(1),
    /** Milliseconds before the child is killed. */
    timeout: z.number().int().positive().max(600_000).default(10_000),
  })
  .strict();
export type CodeParams = z.infer<typeof codeParams>;

const fields = [
  { name: 'code', label: 'Code', widget: 'code' },
  { name: 'timeout', label: 'Timeout (ms)', widget: 'number' },
] as const;

/** The first line of code that is not blank. */
const firstLine = (p: RawParams) =>
  (
    str(p.code)
      .split('\n')
      .find((l) => l.trim()) ?? ''
  ).trim();

export const pythonCodeNode: NodeDescription<typeof codeParams, 'PythonCodeNode'> = {
  type: 'PythonCodeNode',
  label: 'Python code',
  category: 'Code',
  icon: 'python',
  description: 'Runs Python in a child process; inputs are variables, `result` is the output.',
  inputs: ['input'],
  outputs: ['result'],
  params: codeParams,
  writes: false,
  subtitle: firstLine,
  fields,
};

export const codeNode: NodeDescription<typeof codeParams, 'CodeNode'> = {
  type: 'CodeNode',
  label: 'JavaScript code',
  category: 'Code',
  icon: 'code',
  description: 'Runs isolated JavaScript; inputs are variables, `result` is the output.',
  inputs: ['input'],
  outputs: ['result'],
  params: codeParams,
  writes: false,
  subtitle: firstLine,
  fields,
};

/** The node types that run code on the user's machine: a run of them needs the user's confirmation. */
export const CODE_NODE_TYPES: ReadonlySet<string> = new Set([pythonCodeNode.type, codeNode.type]);
