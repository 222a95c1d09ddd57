/**
 * Writes test/durations.json, the seconds each vitest file took, from a JSON report:
 *
 *   npx vitest run --reporter=json --outputFile=/tmp/vitest.json
 *   node --import tsx scripts/test-durations.ts /tmp/vitest.json
 *
 * test/sequencer.ts starts the longest files first by it. Only the order depends on it: a stale or
 * missing entry makes no test pass or fail.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const [report] = process.argv.slice(2);
if (!report) throw new Error('usage: test-durations.ts <vitest JSON report>');
const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as {
  testResults: { name: string; startTime: number; endTime: number }[];
};
const seconds = testResults
  .map((t) => [relative(ROOT, t.name), Math.round((t.endTime - t.startTime) / 100) / 10] as const)
  .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
writeFileSync(join(ROOT, 'test/durations.json'), `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
console.log(`test/durations.json: ${seconds.length} files`);
