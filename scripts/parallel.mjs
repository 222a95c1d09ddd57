#!/usr/bin/env node
// `node scripts/parallel.mjs lint typecheck ...`: runs these npm scripts at once (`npm test` runs
// its checks and the build so: each is mostly one process on one core, and none reads what
// another writes), prints each one's output whole when it ends, with its exit code and time, and
// exits 1 when any of them failed, after all have ended. Its lines say "exit 0" rather than
// "passed": the only line of `npm test` that counts tests is test-summary.mjs's last one, and a
// "<script>: passed in N s" line reads like a test runner's summary of no test.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) throw new Error('usage: parallel.mjs <npm script>...');
const npm = process.env.npm_execpath
  ? [process.execPath, process.env.npm_execpath]
  : [process.platform === 'win32' ? 'npm.cmd' : 'npm'];

const started = Date.now();
const results = await Promise.all(
  scripts.map(
    (name) =>
      new Promise((resolve) => {
        const t0 = Date.now();
        const child = spawn(npm[0], [...npm.slice(1), 'run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (c) => (output += c));
        child.stderr.on('data', (c) => (output += c));
        child.on('error', (e) => (output += `${e.message}\n`));
        child.on('close', (code) => {
          const seconds = ((Date.now() - t0) / 1000).toFixed(1);
          process.stdout.write(
            `\n> npm run ${name}: ${code === 0 ? 'exit 0' : `FAILED, exit ${code}`}, after ${seconds} s\n`,
          );
          if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
          resolve(code === 0);
        });
      }),
  ),
);
const failed = scripts.filter((_, i) => !results[i]);
console.log(
  `\n${scripts.length} scripts ended after ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (failed.length ? `; failed: ${failed.join(', ')}` : ''),
);
process.exit(failed.length ? 1 : 0);
