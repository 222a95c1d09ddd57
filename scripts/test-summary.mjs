#!/usr/bin/env node
// `node scripts/test-summary.mjs`: the last step of `npm test`. Reads the JSON reports that vitest
// (test-reports/vitest.json) and Playwright (test-reports/e2e.json) wrote during this run and
// prints the counts of both suites, then one closing line of their totals,
// `tests: N passed, N failed, N skipped`, so whoever reads the end of the output sees how many
// tests ran. Exits 1 when a report is missing, or when no test passed or one failed.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

function report(file) {
  try {
    return JSON.parse(readFileSync(new URL(`../test-reports/${file}`, import.meta.url), 'utf8'));
  } catch (e) {
    console.error(`test-summary: no report test-reports/${file} (${e.message})`);
    process.exit(1);
  }
}

const unit = report('vitest.json');
const e2e = report('e2e.json');
const suites = [
  {
    name: 'vitest',
    passed: unit.numPassedTests,
    failed: unit.numFailedTests,
    skipped: unit.numPendingTests + unit.numTodoTests,
  },
  {
    name: 'Playwright',
    passed: e2e.stats.expected + e2e.stats.flaky,
    failed: e2e.stats.unexpected,
    skipped: e2e.stats.skipped,
  },
];
for (const s of suites) console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
const total = (k) => suites.reduce((n, s) => n + s[k], 0);
console.log(`tests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
if (total('passed') === 0 || total('failed') > 0) process.exit(1);
