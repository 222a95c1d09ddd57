/**
 * Extracts every ```python block of the DataFlow guide, with its heading, imports each one with the
 * Python importer and prints what it gives: nodes, connections, models and problems (at the
 * guide's own line numbers).
 *
 *   node --import tsx scripts/extract-guide-examples.ts [guide.md] [--lenient]
 *
 * Without a path it reads the guide from shared/seed beside the checkout (../shared/seed/, where
 * CI puts it), else the committed copy assets/guide/schema-management.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonBlocks } from '../shared/python/guide-blocks.ts';
import { importPython } from '../shared/python/parse.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = join(ROOT, '..', 'shared', 'seed', '000_1837dd4bfeaa47e2.txt');
const COPY = join(ROOT, 'assets', 'guide', 'schema-management.md');

const args = process.argv.slice(2);
const lenient = args.includes('--lenient');
const given = args.find((a) => !a.startsWith('--'));
const path = given ? resolve(given) : existsSync(SEED) ? SEED : COPY;

let text: string;
try {
  text = readFileSync(path, 'utf8');
} catch (e) {
  process.stderr.write(`cannot read the guide at ${path}: ${(e as Error).message}\n`);
  process.exit(2);
}

const out: string[] = [`Guide: ${relative(process.cwd(), path) || path}${lenient ? ' (lenient import)' : ''}`];
if (!given && path === SEED && existsSync(COPY) && readFileSync(COPY, 'utf8') !== text) {
  out.push(`note: ${relative(process.cwd(), COPY)} differs from the guide; copy the guide over it so the tests see the same text`);
}
const blocks = pythonBlocks(text);
let withErrors = 0;
for (const block of blocks) {
  const { workflow, models, problems } = importPython(block.code, { lenient, name: block.heading });
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) withErrors++;
  out.push('', `## ${block.headings.slice(1).join(' > ') || block.heading} (guide line ${block.line})`);
  if (workflow.nodes.length > 0) out.push(`nodes: ${workflow.nodes.map((n) => `${n.id} (${n.type})`).join(', ')}`);
  if (workflow.connections.length > 0) out.push(`connections: ${workflow.connections.map((c) => `${c.source}.${c.sourceOutput} -> ${c.target}.${c.targetInput}`).join(', ')}`);
  for (const m of models) {
    out.push(`model ${m.name} -> table ${m.table}: ${m.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === undefined ? '' : ` DEFAULT ${typeof c.default === 'object' && c.default !== null ? c.default.sql : JSON.stringify(c.default)}`}`).join(', ')}`);
  }
  for (const p of problems) out.push(`  guide:${block.line + p.line - 1}:${p.column}: ${p.severity}: ${p.message}`);
  if (problems.length === 0) out.push('  no problems');
}
out.push('', `${blocks.length} Python blocks: ${blocks.length - withErrors} import without errors, ${withErrors} with errors.`);
process.stdout.write(`${out.join('\n')}\n`);
