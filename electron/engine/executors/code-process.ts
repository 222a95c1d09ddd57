/**
 * What the two code nodes share: the trust gate, and a child process fed JSON on stdin that
 * answers JSON on stdout, killed at its timeout or when the run is cancelled.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { NodeFailure, type NodeContext } from '../types.ts';
import type { CodeParams } from '../../../shared/nodes/code.ts';

const MAX_STDOUT = 16 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/** Refuses to go on unless the user confirmed the workflow's code. */
export function requireTrust(ctx: NodeContext<CodeParams>, language: string): void {
  if (ctx.trustCode) return;
  throw new NodeFailure(
    `the ${language} code of this node has not been confirmed; read it, then confirm it (the app asks once per file; on the command line pass --trust-code)`,
    'code',
  );
}

/** Full path of an executable found on PATH, or null. */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | null {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

export interface ChildAnswer {
  ok: boolean;
  result?: unknown;
  /** True when the code never assigned `result`. */
  missing?: boolean;
  error?: string;
  /** The code ran past its timeout (the runner stopped it). */
  timedOut?: boolean;
}

/**
 * Runs `command args` without a shell, writes `input` to its stdin and parses the JSON answer it
 * writes to stdout. Kills it `graceMs` (process start-up) after the node's timeout, or when
 * `ctx.signal` aborts.
 */
export function runChild(
  ctx: NodeContext<CodeParams>,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: string,
  language: string,
  graceMs: number,
): Promise<ChildAnswer> {
  const timeoutMs = ctx.params.timeout;
  const timeoutFailure = () =>
    new NodeFailure(
      `the ${language} code ran longer than its timeout of ${timeoutMs} ms and was stopped; raise "timeout" or make it faster`,
      'timeout',
    );
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      cwd: tmpdir(),
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let overflow = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs + graceMs);
    ctx.signal.addEventListener('abort', kill, { once: true });
    const done = () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', kill);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_STDOUT) {
        overflow = true;
        kill();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR);
    });
    child.stdin.on('error', () => {
      // The child exited before reading everything; its exit status says why.
    });
    child.on('error', (e) => {
      done();
      reject(new NodeFailure(`could not start ${language} (${command}): ${e.message}`, 'code'));
    });
    child.on('close', (code) => {
      done();
      try {
        ctx.throwIfCancelled();
      } catch (e) {
        reject(e);
        return;
      }
      const tail = stderr.trim() ? `\n${stderr.trim()}` : '';
      if (timedOut) return reject(timeoutFailure());
      if (overflow)
        return reject(
          new NodeFailure(
            `the ${language} code's result is larger than ${MAX_STDOUT / 1024 / 1024} MB; return less data`,
            'code',
          ),
        );
      let answer: ChildAnswer;
      try {
        answer = JSON.parse(stdout) as ChildAnswer;
      } catch {
        return reject(
          new NodeFailure(`the ${language} process ended (exit code ${code}) without an answer${tail}`, 'code'),
        );
      }
      if (answer.timedOut) return reject(timeoutFailure());
      if (!answer.ok)
        return reject(
          new NodeFailure(`the ${language} code failed: ${answer.error ?? 'unknown error'}${tail}`, 'code'),
        );
      resolve(answer);
    });
    child.stdin.end(input);
  });
}

/** The node's outputs from an answer: `result`, null (with a warning) when the code did not set it. */
export function answerOutputs(ctx: NodeContext<CodeParams>, answer: ChildAnswer): Record<string, unknown> {
  if (answer.missing) ctx.warn('the code did not assign `result`, so the output is null');
  return { result: answer.result ?? null };
}
