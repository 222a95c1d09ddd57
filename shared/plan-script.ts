/**
 * The SQL of a run (usually a plan) as one script of comments and statements: what `dataflow plan`
 * prints, what the editor's SQL preview shows and what "Export SQL" writes. One renderer for all.
 */
import { outcomeLabel, type ExecutedStep, type NodeResult, type RunResult } from './run.ts';
import type { Workflow } from './workflow.ts';

/** Every line of `text` as an SQL line comment. */
function comment(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `-- ${line}`.trimEnd())
    .join('\n');
}

function statement(sql: string): string {
  const s = sql.trim();
  return s.endsWith(';') ? s : `${s};`;
}

function label(id: string, nodeTypes: Readonly<Record<string, string>>): string {
  const type = nodeTypes[id];
  return type ? `node ${id} (${type})` : `node ${id}`;
}

/** A step's comment lines (its own, and whether it runs outside a transaction), its statement, the commit note after it. */
function stepParts(head: string, step: ExecutedStep): [string, string, string] {
  const notes = step.transactional ? '' : `\n${comment('runs outside a transaction')}`;
  const commits = step.commitAfter
    ? `\n${comment('commits here: the next statement runs in a new transaction, without this lock')}`
    : '';
  return [`${comment(`${head}: ${step.comment}`)}${notes}`, statement(step.sql), commits];
}

function stepText(head: string, step: ExecutedStep): string {
  const [before, sql, after] = stepParts(head, step);
  return `${before}\n${sql}${after}`;
}

const lineCount = (text: string) => text.split('\n').length;

const WHY_NO_SQL: Record<NodeResult['status'], string> = {
  succeeded: 'no SQL statements',
  failed: 'failed',
  skipped: 'skipped',
  not_run: 'not run (an earlier node failed or the run stopped)',
  cancelled: 'cancelled',
  rolled_back: 'rolled back with its transaction scope',
};

/** The script of one node: one comment line per statement (`-- node <id> (<type>): <comment>`) and the statement. */
export function nodeToSql(id: string, node: NodeResult, nodeTypes: Readonly<Record<string, string>> = {}): string {
  const head = label(id, nodeTypes);
  const parts = node.sql.map((step) => stepText(head, step));
  if (node.error) parts.push(comment(`${head}: FAILED: ${node.error.message}`));
  else if (node.outcome) parts.push(comment(`${head}: ${outcomeLabel(node.outcome)}: ${node.outcome.note}`));
  else if (parts.length === 0) parts.push(comment(`${head}: ${WHY_NO_SQL[node.status]}`));
  return parts.join('\n\n');
}

/**
 * The whole run as an SQL script: a header naming the workflow, mode and connection, then every
 * node in run order. `nodeTypes` (node id -> type) names each node's type in its comments.
 */
export function planToSql(result: RunResult, nodeTypes: Readonly<Record<string, string>> = {}): string {
  const header = scriptHeader(result);
  const nodes = result.order.flatMap((id) => {
    const node = result.nodes[id];
    return node ? [nodeToSql(id, node, nodeTypes)] : [];
  });
  return `${[header, ...nodes].join('\n\n')}\n`;
}

function scriptHeader(result: RunResult): string {
  return comment(
    [
      `workflow "${result.workflow}": ${result.mode} on ${result.connection}`,
      `${result.mode === 'plan' ? 'planned' : 'ran'} at ${result.startedAt}, status ${result.status}`,
    ].join('\n'),
  );
}

/**
 * Where each statement ends in the script of `planToSql` (`node` absent) or `nodeToSql(node)`:
 * `"<node id>#<step index>"` -> the 1-based line of the statement's last line, for marks beside
 * the statements (the SQL preview's safety review findings).
 */
export function statementLines(
  result: RunResult,
  nodeTypes: Readonly<Record<string, string>> = {},
  node?: string,
): Map<string, number> {
  const lines = new Map<string, number>();
  let start = node === undefined ? lineCount(scriptHeader(result)) + 2 : 1;
  for (const id of node === undefined ? result.order : [node]) {
    const r = result.nodes[id];
    if (!r) continue;
    let at = start;
    const head = label(id, nodeTypes);
    r.sql.forEach((step, i) => {
      const [before, sql, after] = stepParts(head, step);
      lines.set(`${id}#${i}`, at + lineCount(before) + lineCount(sql) - 1);
      at += lineCount(`${before}\n${sql}${after}`) + 1;
    });
    start += lineCount(nodeToSql(id, r, nodeTypes)) + 1;
  }
  return lines;
}

/** Node id -> type of a workflow, for the comments of `planToSql`. */
export function nodeTypesOf(workflow: Workflow): Record<string, string> {
  return Object.fromEntries(workflow.nodes.map((n) => [n.id, n.type]));
}

/** A plan-time problem: a failed node's error or a warning, with the node it belongs to. */
export interface PlanProblem {
  nodeId: string | null;
  severity: 'error' | 'warning' | 'info';
  message: string;
  field?: string;
  /** The form label of `field`, when the inspector shows it under one. */
  label?: string;
  code?: string;
}

/**
 * Failed nodes' errors, then node warnings and the run's own warnings (the run repeats each node
 * warning as `node "<id>": <message>`; those are listed once, under their node), and the run's
 * error when no node carries it.
 */
export function planProblems(result: RunResult): PlanProblem[] {
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  const notes: PlanProblem[] = [];
  const repeated = new Set<string>();
  for (const id of result.order) {
    const node = result.nodes[id];
    if (!node) continue;
    if (node.error) {
      const { message, field, label, code } = node.error;
      errors.push({
        nodeId: id,
        severity: 'error',
        message,
        ...(field ? { field } : {}),
        ...(label ? { label } : {}),
        ...(code ? { code } : {}),
      });
    }
    for (const message of node.notes ?? []) notes.push({ nodeId: id, severity: 'info', message });
    for (const message of node.warnings) {
      warnings.push({ nodeId: id, severity: 'warning', message });
      repeated.add(`node "${id}": ${message}`);
    }
  }
  if (result.error && errors.length === 0) errors.push({ nodeId: null, severity: 'error', message: result.error });
  for (const message of result.warnings)
    if (!repeated.has(message)) warnings.push({ nodeId: null, severity: 'warning', message });
  return [...errors, ...warnings, ...notes];
}

/**
 * Why a plan failed, in one line (the run's error, else the first failed node's), or null when it
 * succeeded: an exported script of a failed plan is incomplete, and says so.
 */
export function planFailure(result: RunResult): string | null {
  if (result.status === 'succeeded') return null;
  if (result.error) return result.error;
  const failed = result.order.find((id) => result.nodes[id]?.status === 'failed');
  const message = failed ? result.nodes[failed]?.error?.message : undefined;
  return failed && message ? `node "${failed}": ${message}` : `the plan ${result.status}`;
}
