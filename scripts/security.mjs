#!/usr/bin/env node
// `npm run security`: runs @doyensec/electronegativity over electron/ (TypeScript parsed by its
// Babel TypeScript parser) and fails on any finding. A finding may be accepted only in the code,
// with `// eng-disable <CHECK_ID> -- <reason>` on the line it points at; a suppression without a
// reason is itself a failure. Prints a short summary.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = join(ROOT, 'electron');
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const electronVersion = require('electron/package.json').version;

/** Suppressions in the sources that give no reason. */
function unexplainedSuppressions() {
  const bad = [];
  const files = readdirSync(TARGET, { recursive: true, withFileTypes: true }).filter(
    (d) => d.isFile() && /\.(ts|tsx|js|mjs|cjs|html)$/.test(d.name),
  );
  for (const d of files) {
    const path = join(d.parentPath, d.name);
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = /eng-disable\b(.*)$/.exec(line);
        if (m && !/--\s*\S+(\s+\S+){2,}/.test(m[1]))
          bad.push(
            `${relative(ROOT, path)}:${i + 1}: eng-disable without a reason (write: eng-disable CHECK_ID -- why it is acceptable)`,
          );
      });
  }
  return bad;
}

// The scanner chats on the console (translations, release checks); keep only our summary.
const quiet = { log: console.log, warn: console.warn, info: console.info };
console.log = console.warn = console.info = () => {};
let result;
try {
  result = await run({
    input: TARGET,
    isRelative: true,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
    customScan: [],
    excludeFromScan: [],
  });
} finally {
  Object.assign(console, quiet);
}

const findings = result.issues.map(
  (i) =>
    `${i.id} ${i.file}:${i.location.line}:${i.location.column} [${i.severity.name}/${i.confidence.name}] ${i.description}`,
);
const parseErrors = result.errors
  .filter((e) => !e.tolerable)
  .map((e) => `cannot parse ${relative(ROOT, e.file)}: ${e.message}`);
const unexplained = unexplainedSuppressions();
const problems = [...findings, ...parseErrors, ...unexplained];

console.log(
  `electronegativity ${require('@doyensec/electronegativity/package.json').version} over electron/ (Electron ${electronVersion}): ${result.atomicChecks} atomic and ${result.globalChecks} global checks`,
);
for (const p of problems) console.log(`  ${p}`);
console.log(problems.length === 0 ? 'security: no findings' : `security: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
