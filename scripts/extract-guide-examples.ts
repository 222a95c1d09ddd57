/**
 * Extracts every ```python block of the DataFlow guide, with its heading, imports each one with the
 * Python importer and prints what it gives: nodes, connections, models and problems (at the
 * guide's own line numbers), and which example file each block becomes.
 *
 *   node --import tsx scripts/extract-guide-examples.ts [path/to/guide.md] [--lenient] [--write]
 *
 * Without a path it reads the guide from ../shared/seed/ beside the checkout (where CI puts it),
 * else the committed copy assets/guide/schema-management.md.
 *
 * `--write` makes assets/examples/ exactly the guide's examples: every complete block (it imports
 * without errors, or its only errors are the guide's known faults that a fix-up below resolves)
 * becomes `<name>.dataflow.json`: name and description from its heading, nodes and params as
 * imported, the fix-ups applied, positions from the layered layout (shared/python/layout.ts).
 * Blocks with `{...}` placeholders, model-only blocks and blocks with other errors are skipped and
 * listed. The HAND_WRITTEN examples are kept (only laid out again); any other file is removed.
 * electron/engine/examples.test.ts checks that the committed files are what this generates.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonBlocks, type GuideBlock } from '../shared/python/guide-blocks.ts';
import { layoutWorkflow } from '../shared/python/layout.ts';
import { importPython, type ImportProblem } from '../shared/python/parse.ts';
import {
  formatProblem,
  parseWorkflow,
  serializeWorkflow,
  validateWorkflow,
  type Workflow,
} from '../shared/workflow.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = join(ROOT, '..', 'shared', 'seed', '000_1837dd4bfeaa47e2.txt');
/** The committed copy of the guide, the one the examples are generated from in the tests. */
export const GUIDE_COPY = join(ROOT, 'assets', 'guide', 'schema-management.md');
export const EXAMPLES_DIR = join(ROOT, 'assets', 'examples');
const SUFFIX = '.dataflow.json';

/** A minimal, documented change to an imported guide block before it is written as an example. */
export interface FixUp {
  /** One sentence: what the guide's block lacks or gets wrong, and what the example does instead. */
  why: string;
  /** A guide call that the strict import reports as an error; the lenient import leaves it out. */
  drop?: string;
  /** Connections `source.result -> target.input` to add. */
  connect?: [source: string, target: string][];
}

/**
 * The fix-ups, keyed by the block's heading. Every other complete block is written exactly as
 * imported. A fix-up that no longer matches its block (a node is gone, the error is gone) stops
 * the generation, so they cannot go stale.
 */
export const FIX_UPS: Readonly<Record<string, FixUp[]>> = {
  'Migration Workflow Pattern': [
    // A known fault of the guide: connects nodes "source" and "target", which do not exist.
    {
      drop: 'workflow.add_connection("source", "result", "target", "input")',
      why: 'The guide\'s add_connection("source", "result", "target", "input") names nodes the workflow does not have; it is left out.',
    },
    // What the importer suggests in its place: the Switch reads ":migration_status", which only
    // check_migration outputs; with no connection feeding it the switch fails at run time.
    {
      connect: [['check_migration', 'migration_decision']],
      why: 'check_migration.result -> migration_decision.input is added (as the importer suggests): it delivers the migration_status the switch reads.',
    },
  ],
  '4. Handle Rollbacks': [
    // The guide declares no connections. The Switch routes to its cases without any (docs/nodes.md, "SwitchNode"),
    // but its ":needs_rollback" must come from check_rollback; the importer suggests this connection.
    {
      connect: [['check_rollback', 'rollback_decision']],
      why: 'check_rollback.result -> rollback_decision.input is added (as the importer suggests): it delivers the needs_rollback the switch reads; the guide has no connection, so the switch would fail.',
    },
  ],
  'Zero-Downtime Migrations': [
    // Not a fault: unconnected nodes already run in file order. The phases depend on each other
    // (the backfill fills the column phase 1 adds, the constraint needs every row filled), so the
    // example draws that order, as the importer advises, and an edit on the canvas cannot reorder it.
    {
      connect: [
        ['phase1_add', 'phase2_backfill'],
        ['phase2_backfill', 'phase3_constraint'],
      ],
      why: 'The three phases are connected in sequence, as the importer advises: the guide leaves them unconnected (they run in file order anyway), but each phase needs the one before it.',
    },
  ],
};

/** File names (without .dataflow.json) by heading, where other code and docs use another name than the heading's slug. */
const FILE_NAMES: Readonly<Record<string, string>> = {
  'Basic Usage': 'basic-add-column',
  'Basic Migration Tracking': 'migration-tracking',
  'Complex Schema Changes': 'complex-rename-column',
  'Zero-Downtime Migrations': 'zero-downtime',
};

/**
 * Examples written by hand, kept because they add what the guide's block cannot give; `--write`
 * only lays them out again. By name, with the reason.
 */
export const HAND_WRITTEN: Readonly<Record<string, string>> = {
  'monitor-migration-impact':
    'Monitor Migration Impact: the guide elides the change between the two MonitoringNodes ({...}); this example makes it an index on orders.created_at, the only example of metrics compared before and after.',
};

export interface GeneratedExample {
  /** File name in assets/examples/. */
  file: string;
  block: GuideBlock;
  workflow: Workflow;
  fixUps: FixUp[];
  /** Problems of the strict import, at the block's own lines (errors here are the ones fixed up). */
  problems: ImportProblem[];
}

export interface SkippedBlock {
  block: GuideBlock;
  reason: string;
}

export interface Generation {
  examples: GeneratedExample[];
  skipped: SkippedBlock[];
}

/** `4. Handle Rollbacks` -> `Handle Rollbacks`. */
export function headingTitle(heading: string): string {
  return heading.replace(/^\d+\.\s*/, '').trim();
}

/** The example file name of a heading: FILE_NAMES, else the heading's slug (`Handle Rollbacks` -> `handle-rollbacks`). */
export function exampleName(heading: string): string {
  return (
    FILE_NAMES[heading] ??
    headingTitle(heading)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  );
}

const PLACEHOLDER = /placeholder \{\.\.\.\}/;

/** The guide's complete blocks as example workflows, and the blocks skipped with the reason. Throws when a fix-up no longer matches the guide. */
export function generateExamples(guide: string): Generation {
  const blocks = pythonBlocks(guide);
  const examples: GeneratedExample[] = [];
  const skipped: SkippedBlock[] = [];
  for (const heading of Object.keys(FIX_UPS)) {
    if (!blocks.some((b) => b.heading === heading))
      throw new Error(`fix-ups for "${heading}": the guide has no Python block under that heading`);
  }
  const title = blocks[0]?.headings[0] ?? 'the guide';
  for (const block of blocks) {
    const strict = importPython(block.code, { name: headingTitle(block.heading) });
    const at = (p: ImportProblem) => `guide line ${block.line + p.line - 1}`;
    const errors = strict.problems.filter((p) => p.severity === 'error');
    if (strict.workflow.nodes.length === 0) {
      const what =
        strict.models.length > 0
          ? `only @db.model classes (${strict.models.map((m) => m.name).join(', ')}): the input of \`dataflow models\`, not a workflow`
          : 'no workflow nodes';
      skipped.push({ block, reason: what });
      continue;
    }
    const placeholders = errors.filter((p) => PLACEHOLDER.test(p.message));
    if (placeholders.length > 0) {
      skipped.push({
        block,
        reason: `a {...} placeholder for the params of ${placeholders.map((p) => `"${p.node}" (${at(p)})`).join(', ')}: the guide leaves the change out`,
      });
      continue;
    }
    const fixUps = FIX_UPS[block.heading] ?? [];
    const unresolved = errors.filter((p) => !fixUps.some((f) => resolves(f, p)));
    if (unresolved.length > 0) {
      skipped.push({ block, reason: `import errors: ${unresolved.map((p) => `${at(p)}: ${p.message}`).join('; ')}` });
      continue;
    }
    const name = exampleName(block.heading);
    if (examples.some((e) => e.file === name + SUFFIX) || name in HAND_WRITTEN)
      throw new Error(
        `two examples would be named ${name}${SUFFIX}; give "${block.heading}" its own name in FILE_NAMES`,
      );
    const imported = importPython(block.code, { lenient: true, validate: false }).workflow;
    const wf = applyFixUps(block, imported, fixUps, errors);
    const fixes = fixUps.map((f) => f.why).join(' ');
    const workflow = layoutWorkflow({
      format: wf.format,
      version: wf.version,
      name: headingTitle(block.heading),
      description: `The example under "${block.headings.slice(1).map(headingTitle).join(' > ')}" in ${title}.${fixes ? ` Fix-ups: ${fixes}` : ''}`,
      nodes: wf.nodes,
      connections: wf.connections,
    });
    const invalid = validateWorkflow(workflow).filter((p) => p.severity === 'error');
    if (invalid.length > 0)
      throw new Error(
        `"${block.heading}" after its fix-ups is not a valid workflow: ${invalid.map(formatProblem).join('; ')}`,
      );
    examples.push({ file: name + SUFFIX, block, workflow, fixUps, problems: strict.problems });
  }
  return { examples, skipped };
}

/** The strict import's error that a fix-up resolves: the call it drops, or a node it connects that nothing fed. */
function resolves(f: FixUp, p: ImportProblem): boolean {
  if (f.drop !== undefined && p.message.includes(f.drop)) return true;
  return (f.connect ?? []).some(([, target]) => p.node === target && UNFED.test(p.message));
}

const UNFED = /no connection feeds this node/;

function applyFixUps(block: GuideBlock, wf: Workflow, fixUps: FixUp[], errors: ImportProblem[]): Workflow {
  const stale = (f: FixUp, what: string) =>
    new Error(`fix-up for "${block.heading}" no longer matches the guide (${what}): ${f.why}`);
  const connections = [...wf.connections];
  for (const f of fixUps) {
    if (f.drop !== undefined && !errors.some((p) => p.message.includes(f.drop!)))
      throw stale(f, `the import reports no error for ${f.drop}`);
    for (const [source, target] of f.connect ?? []) {
      if (![source, target].every((id) => wf.nodes.some((n) => n.id === id)))
        throw stale(f, `no node "${source}" or "${target}"`);
      if (connections.some((c) => c.source === source && c.target === target))
        throw stale(f, `the guide already connects ${source} to ${target}`);
      connections.push({ source, sourceOutput: 'result', target, targetInput: 'input' });
    }
  }
  return { ...wf, connections };
}

/** A hand-written example's text as --write leaves it: the same workflow, laid out. */
export function handWrittenText(text: string): string {
  return serializeWorkflow(layoutWorkflow(parseWorkflow(text).workflow));
}

/**
 * Every file assets/examples/ must hold, name -> text: the generated examples and the hand-written
 * ones (read with `readExample`, laid out).
 */
export function expectedExampleFiles(guide: string, readExample: (file: string) => string): Map<string, string> {
  const files = new Map(generateExamples(guide).examples.map((e) => [e.file, serializeWorkflow(e.workflow)] as const));
  for (const name of Object.keys(HAND_WRITTEN)) files.set(name + SUFFIX, handWrittenText(readExample(name + SUFFIX)));
  return files;
}

function main(): void {
  const args = process.argv.slice(2);
  const lenient = args.includes('--lenient');
  const write = args.includes('--write');
  const given = args.find((a) => !a.startsWith('--'));
  const path = given ? resolve(given) : existsSync(SEED) ? SEED : GUIDE_COPY;

  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    process.stderr.write(`cannot read the guide at ${path}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const out: string[] = [`Guide: ${relative(process.cwd(), path) || path}${lenient ? ' (lenient import)' : ''}`];
  if (!given && path === SEED && existsSync(GUIDE_COPY) && readFileSync(GUIDE_COPY, 'utf8') !== text) {
    out.push(
      `note: ${relative(process.cwd(), GUIDE_COPY)} differs from the guide; copy the guide over it so the tests see the same text`,
    );
  }
  let generation: Generation;
  try {
    generation = generateExamples(text);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  const blocks = pythonBlocks(text);
  let withErrors = 0;
  for (const block of blocks) {
    const { workflow, models, problems } = importPython(block.code, { lenient, name: block.heading });
    if (problems.some((p) => p.severity === 'error')) withErrors++;
    out.push('', `## ${block.headings.slice(1).join(' > ') || block.heading} (guide line ${block.line})`);
    if (workflow.nodes.length > 0) out.push(`nodes: ${workflow.nodes.map((n) => `${n.id} (${n.type})`).join(', ')}`);
    if (workflow.connections.length > 0)
      out.push(
        `connections: ${workflow.connections.map((c) => `${c.source}.${c.sourceOutput} -> ${c.target}.${c.targetInput}`).join(', ')}`,
      );
    for (const m of models) {
      out.push(
        `model ${m.name} -> table ${m.table}: ${m.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === undefined ? '' : ` DEFAULT ${typeof c.default === 'object' && c.default !== null ? c.default.sql : JSON.stringify(c.default)}`}`).join(', ')}`,
      );
    }
    for (const p of problems) out.push(`  guide:${block.line + p.line - 1}:${p.column}: ${p.severity}: ${p.message}`);
    if (problems.length === 0) out.push('  no problems');
    const example = generation.examples.find((e) => e.block.line === block.line);
    const skip = generation.skipped.find((s) => s.block.line === block.line);
    if (example)
      out.push(
        `=> assets/examples/${example.file}${example.fixUps.length > 0 ? `, fix-ups: ${example.fixUps.map((f) => f.why).join(' ')}` : ''}`,
      );
    if (skip) out.push(`=> skipped: ${skip.reason}`);
  }
  out.push(
    '',
    `${blocks.length} Python blocks: ${blocks.length - withErrors} import without errors, ${withErrors} with errors.`,
    `${generation.examples.length} examples generated, ${generation.skipped.length} blocks skipped: ${generation.skipped.map((s) => s.block.heading).join(', ')}.`,
    `Kept by hand: ${Object.entries(HAND_WRITTEN)
      .map(([name, why]) => `${name} (${why})`)
      .join('; ')}`,
  );
  if (write) {
    const files = expectedExampleFiles(text, (file) => readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
    for (const [file, content] of files) {
      const target = join(EXAMPLES_DIR, file);
      const before = existsSync(target) ? readFileSync(target, 'utf8') : null;
      if (before === content) continue;
      writeFileSync(target, content);
      out.push(`${before === null ? 'wrote' : 'updated'} ${relative(process.cwd(), target)}`);
    }
    for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(SUFFIX) && !files.has(f))) {
      rmSync(join(EXAMPLES_DIR, file));
      out.push(
        `removed ${relative(process.cwd(), join(EXAMPLES_DIR, file))} (no complete guide block behind it and not kept by hand)`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
