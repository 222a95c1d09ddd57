/**
 * PythonCodeNode: runs `code` with `python3` in a child process (no shell): inputs are variables,
 * the value of `result` is the output. Without python3 on PATH it fails, in plan mode too.
 */
import { fileURLToPath } from 'node:url';
import { stringifyJson } from '../../../shared/json-text.ts';
import type { CodeParams } from '../../../shared/nodes/code.ts';
import { NodeFailure, type Executor } from '../types.ts';
import { answerOutputs, findOnPath, requireTrust, runChild } from './code-process.ts';

const RUNNER = fileURLToPath(new URL('./python-runner.py', import.meta.url));

/** The environment python3 needs to start (PATH for `#!/usr/bin/env` launchers such as pyenv shims), nothing else. */
function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PATH|HOME|LANG|LC_[A-Z]+|PYENV_[A-Z_]+|SYSTEMROOT|TMPDIR)$/.test(k)) env[k] = v;
  }
  return env;
}

export const pythonCodeExecutor: Executor<CodeParams> = {
  async run(ctx) {
    const python = findOnPath(process.platform === 'win32' ? 'python3.exe' : 'python3');
    if (!python)
      throw new NodeFailure(
        'python3 was not found on PATH; install Python 3 (or add it to PATH) to run PythonCodeNode',
        'code',
      );
    if (ctx.mode === 'plan') {
      if (!ctx.trustCode)
        ctx.warn(
          'this code has not been confirmed; rehearse and apply will refuse to run it until it is (--trust-code)',
        );
      ctx.markOutputsUnknown(
        `the Python code is not run in plan mode (it would run with ${python}); its result is known on rehearse or apply`,
      );
      return { result: null };
    }
    requireTrust(ctx, 'Python');
    const input = stringifyJson({ code: ctx.params.code, inputs: ctx.inputs });
    const answer = await runChild(ctx, python, ['-I', '-X', 'utf8', RUNNER], pythonEnv(), input, 'Python', 1000);
    return answerOutputs(ctx, answer);
  },
};
