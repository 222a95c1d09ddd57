/**
 * SwitchNode: picks the node its input value selects (the scheduler skips the other routes).
 * Output `result` = `{ value, selected }`.
 */
import type { SwitchParams } from '../../../shared/nodes/switch.ts';
import { NodeFailure, type Executor } from '../types.ts';

export const switchExecutor: Executor<SwitchParams> = {
  async run(ctx) {
    const { input, cases } = ctx.params;
    const value = String(input);
    const selected = Object.hasOwn(cases, value) ? cases[value]! : (ctx.params.default ?? null);
    if (selected === null) {
      const known = Object.keys(cases)
        .map((c) => `"${c}"`)
        .join(', ');
      throw new NodeFailure(
        `no case matches the value "${value}" (cases: ${known}) and there is no default; add a case for "${value}" or a default`,
        'input',
      );
    }
    return { result: { value: input, selected } };
  },
};
