/**
 * The fleet matrices (docs/fleet.md): the plan matrix (each target's plan against the plan most
 * targets share) and the run matrix (each target's state in a fleet run, the summary table at
 * the end of `dataflow fleet run` and `dataflow fleet status`). Plain data, the JSON output as is;
 * `renderPlanMatrix` and `renderRunMatrix` give the text.
 */
import { textTable } from '../cli/text-table.ts';
import { formatDuration } from '../cli/common.ts';
import type {
  FleetTargetRow,
  FleetTargetStatus,
  PlanMatrix,
  PlanRow,
  PlannedStatement,
  RunMatrix,
  TargetPlan,
} from '../../shared/fleet.ts';
import type { InvalidTarget } from './targets.ts';

export type {
  FleetStatus,
  FleetTargetRow,
  FleetTargetStatus,
  PlanMatrix,
  PlanRow,
  RunMatrix,
} from '../../shared/fleet.ts';

function statementsKey(statements: readonly PlannedStatement[]): string {
  return JSON.stringify(statements.map((s) => [s.node, s.sql]));
}

/** The plan matrix of `plans`: the common plan is the statement list most `would_apply` targets share. */
export function planMatrix(
  workflow: string,
  plans: readonly TargetPlan[],
  invalid: readonly InvalidTarget[],
): PlanMatrix {
  const tally = new Map<string, { n: number; statements: PlannedStatement[] }>();
  for (const p of plans.filter((p) => p.status === 'would_apply')) {
    const key = statementsKey(p.statements);
    const entry = tally.get(key) ?? { n: 0, statements: p.statements };
    entry.n++;
    tally.set(key, entry);
  }
  const common = [...tally.values()].sort((a, b) => b.n - a.n)[0]?.statements ?? [];
  const key = statementsKey(common);
  const counts = { would_apply: 0, already_applied: 0, would_fail: 0, drift: 0, invalid: invalid.length };
  for (const p of plans) counts[p.status]++;
  return {
    kind: 'plan',
    workflow,
    common,
    targets: plans.map((p) => ({ ...p, differs: p.status === 'would_apply' && statementsKey(p.statements) !== key })),
    invalid: [...invalid],
    counts,
  };
}

/** Counts the rows of a run matrix by status. */
export function countStatuses(rows: readonly FleetTargetRow[]): Record<FleetTargetStatus, number> {
  const counts = { pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, skipped: 0, invalid: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

const words = (status: string) => status.replace('_', ' ');

function statementLines(statements: readonly PlannedStatement[], indent: string): string[] {
  let node: string | null = null;
  const lines: string[] = [];
  for (const s of statements) {
    if (s.node !== node) lines.push(`${indent}-- node ${(node = s.node)}`);
    lines.push(...`${s.sql};`.split('\n').map((l) => `${indent}${l}`));
  }
  return lines;
}

function countLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${words(status)}`)
    .join(', ');
}

/** The plan matrix as text: the common plan, a row per target, under it what differs or fails. */
export function renderPlanMatrix(m: PlanMatrix): string {
  const total = m.targets.length + m.invalid.length;
  const sharing = m.targets.filter((t) => t.status === 'would_apply' && !t.differs).length;
  const head = [
    `fleet plan of "${m.workflow}" on ${total} target${total === 1 ? '' : 's'}: ${countLine(m.counts)}`,
    m.common.length > 0
      ? `common plan (${sharing} target${sharing === 1 ? '' : 's'}), ${m.common.length} statement${m.common.length === 1 ? '' : 's'}:`
      : 'no target would apply anything',
    ...statementLines(m.common, '  '),
    '',
  ];
  const table = textTable<PlanRow>(
    [
      ['target', (r) => r.label],
      ['connection', (r) => r.connection],
      ['status', (r) => words(r.status)],
      [
        'statements',
        (r) =>
          r.status !== 'would_apply'
            ? String(r.statements.length)
            : r.differs
              ? `${r.statements.length}, differs`
              : 'common',
      ],
      ['findings', (r) => String(r.findings.length)],
      ['planned at', (r) => r.plannedAt.slice(11, 19)],
    ],
    m.targets,
    (r) => [
      ...(r.appliedBy ? [`    applied by run ${r.appliedBy.runId.slice(0, 8)} at ${r.appliedBy.at}`] : []),
      ...r.problems.map((p) => `    ${p}`),
      ...r.findings
        .filter((f) => r.status !== 'would_fail' || f.severity !== 'error')
        .map(
          (f) =>
            `    ${f.severity} [${f.code}] node "${f.node ?? '-'}" (${f.fieldLabel ?? f.field ?? '-'}): ${f.message}`,
        ),
      ...(r.differs ? statementLines(r.statements, '    ') : []),
    ],
  );
  const invalid = m.invalid.map((t) => `invalid  ${t.source}  ${t.label}: "${t.field}" ${t.message}`);
  return [...head, table, ...(invalid.length > 0 ? ['', ...invalid] : [])].join('\n');
}

/** The run matrix as text: a row per target (wave, status, duration, run id), errors under their row, then the totals. */
export function renderRunMatrix(m: RunMatrix): string {
  const table = textTable<FleetTargetRow>(
    [
      ['target', (r) => r.label],
      ['wave', (r) => (r.wave === null ? '-' : r.wave === 0 ? 'canary' : String(r.wave))],
      ['status', (r) => (r.status === 'running' && r.currentNode ? `running ${r.currentNode}` : r.status)],
      ['duration', (r) => formatDuration(r.durationMs)],
      ['run', (r) => r.runId?.slice(0, 8) ?? '-'],
      ['connection', (r) => r.connection],
    ],
    m.targets,
    (r) => (r.error ? [`    ${r.error.kind.replace('_', ' ')}: ${r.error.message}`] : []),
  );
  return [
    table,
    '',
    `fleet ${m.fleetId.slice(0, 8)} ${m.status}${m.stopReason ? ` (${m.stopReason})` : ''}: ${countLine(m.counts)}`,
  ].join('\n');
}
