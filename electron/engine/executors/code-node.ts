/**
 * CodeNode: runs JavaScript isolated from the app. A separate Node process under the permission
 * model (it may read only its runner script; no child processes, workers or native addons), with
 * an empty environment; inside it the code runs in a fresh vm context that holds only the inputs
 * (no require, no process, no timers, no string-to-code), with a timeout. Before the code runs,
 * the runner deletes the process's native-binding and network entry points.
 */
import { fileURLToPath } from 'node:url';
import { stringifyJson } from '../../../shared/json-text.ts';
import type { CodeParams } from '../../../shared/nodes/code.ts';
import type { Executor } from '../types.ts';
import { answerOutputs, requireTrust, runChild } from './code-process.ts';

const RUNNER = fileURLToPath(new URL('./code-runner.mjs', import.meta.url));
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission')
  ? '--permission'
  : '--experimental-permission';

export const codeNodeExecutor: Executor<CodeParams> = {
  async run(ctx) {
    if (ctx.mode === 'plan') {
      if (!ctx.trustCode)
        ctx.warn(
          'this code has not been confirmed; rehearse and apply will refuse to run it until it is (--trust-code)',
        );
      ctx.markOutputsUnknown('the JavaScript code is not run in plan mode; its result is known on rehearse or apply');
      return { result: null };
    }
    requireTrust(ctx, 'JavaScript');
    const args = [
      '--no-warnings',
      PERMISSION_FLAG,
      `--allow-fs-read=${RUNNER}`,
      '--disallow-code-generation-from-strings',
      '--max-old-space-size=256',
      RUNNER,
    ];
    const env: NodeJS.ProcessEnv = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
    const input = stringifyJson({ code: ctx.params.code, inputs: ctx.inputs, timeout: ctx.params.timeout });
    const answer = await runChild(ctx, process.execPath, args, env, input, 'JavaScript', 2000);
    return answerOutputs(ctx, answer);
  },
};
