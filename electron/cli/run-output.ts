/** How `dataflow run` shows a run: live events on stderr, the summary and the schema diff. */
import { describeChange } from '../../shared/diff-text.ts';
import { driftLines, type DriftReport } from '../../shared/drift.ts';
import { findingPlace } from '../../shared/lint/format.ts';
import { LINT_RULES } from '../../shared/lint/rules.ts';
import { standingErrors, waiverFor, type RunReview } from '../../shared/lint/waiver.ts';
import {
  outcomeLabel,
  type NodeResult,
  type NodeStatus,
  type Progress,
  type RunEvent,
  type RunResult,
} from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import { formatProblem } from '../../shared/workflow.ts';
import { terminalText } from '../../shared/terminal-text.ts';
import { formatDuration } from './common.ts';

const BAR = 24;

/** The four-letter tag a node's finish line starts with. */
const LIVE_TAG: Record<NodeStatus, string> = {
  succeeded: 'done',
  failed: 'FAIL',
  cancelled: 'STOP',
  rolled_back: 'UNDO',
  skipped: 'skip',
  not_run: 'skip',
};

/** A node's status as the output shows it: `already applied` / `already completed` for a succeeded node that found its work done. */
function statusText(r: NodeResult): string {
  return r.outcome ? outcomeLabel(r.outcome) : r.status;
}

export function progressLine(nodeId: string, p: Progress): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(frac * BAR);
  const eta = p.etaSeconds === null ? '' : `, ETA ${formatDuration(p.etaSeconds * 1000)}`;
  const msg = p.message ? ` ${p.message}` : '';
  return `       ${nodeId} [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(frac * 100 + 1e-9)}% ${p.done}/${p.total} rows, ${Math.round(p.rowsPerSecond)} rows/s${eta}${msg}`;
}

/**
 * Returns an onEvent handler writing one line per node start and finish; progress is one line
 * redrawn in place with \r on a terminal, plain lines (at most one a second per node) otherwise.
 * The lines' control characters are escaped (`terminalText`): only the redraw's own are written raw.
 */
export function liveEvents(workflow: Workflow, write: (text: string) => void, tty: boolean): (event: RunEvent) => void {
  const types = new Map(workflow.nodes.map((n) => [n.id, n.type]));
  let pending = false;
  const lastPlain = new Map<string, number>();
  const line = (text: string) => {
    write(`${pending ? '\r\x1b[2K' : ''}${terminalText(text)}\n`);
    pending = false;
  };
  return (event) => {
    switch (event.type) {
      case 'run_started':
        line(`run ${event.runId} (${event.mode}): ${event.order.length} node(s)`);
        break;
      case 'node_started':
        line(`start  ${event.nodeId} (${types.get(event.nodeId) ?? '?'})`);
        break;
      case 'node_finished': {
        const r = event.result;
        const head = `${LIVE_TAG[r.status]}   ${event.nodeId}: ${statusText(r)}`;
        const timing = r.durationMs === null ? '' : ` in ${formatDuration(r.durationMs)}, ${r.rowsAffected} row(s)`;
        const error = r.error
          ? `\n       ${formatProblem({ node: event.nodeId, field: r.error.field, label: r.error.label, message: r.error.message, severity: 'error' })}`
          : '';
        const note = r.outcome ? `\n       ${r.outcome.note}` : '';
        const notes = (r.notes ?? []).map((n) => `\n       note: ${n}`).join('');
        line(`${head}${timing}${error}${note}${notes}`);
        break;
      }
      case 'progress': {
        const text = progressLine(event.nodeId, event.progress);
        if (tty) {
          write(`\r\x1b[2K${terminalText(text)}`);
          pending = true;
        } else {
          const now = Date.now();
          const last = lastPlain.get(event.nodeId);
          if (last === undefined || now - last >= 1000 || event.progress.done >= event.progress.total) {
            lastPlain.set(event.nodeId, now);
            line(text);
          }
        }
        break;
      }
      case 'warning':
        line(`warning: ${event.nodeId ? `node "${event.nodeId}": ` : ''}${event.message}`);
        break;
      case 'run_finished':
        if (pending) line('');
        break;
    }
  };
}

/** The human summary printed after a run (without --json). */
export function summary(result: RunResult): string {
  const verb = result.mode === 'rehearse' ? `rehearsed (rolled back), ${result.status}` : result.status;
  const lines = [`run ${result.runId} ${verb} in ${formatDuration(result.durationMs)} on ${result.connection}`];
  const width = Math.max(...result.order.map((id) => id.length), 4);
  const nodes = result.order.flatMap((id) => (result.nodes[id] ? [[id, result.nodes[id]] as const] : []));
  const statusWidth = Math.max(11, ...nodes.map(([, r]) => statusText(r).length));
  for (const [id, r] of nodes) {
    lines.push(
      `  ${id.padEnd(width)}  ${statusText(r).padEnd(statusWidth)}  ${formatDuration(r.durationMs).padStart(8)}  ${r.rowsAffected} row(s)`,
    );
    if (r.outcome) lines.push(`  ${' '.repeat(width)}  ${r.outcome.note}`);
  }
  if (result.diff) {
    lines.push(result.diff.changes.length === 0 ? 'schema unchanged' : 'schema changes:');
    for (const c of result.diff.changes) lines.push(`  ${describeChange(c)}`);
  }
  if (result.review) lines.push(...reviewLines(result.review));
  if (result.drift) lines.push(...driftBlock(result.drift.report, result.drift.accepted));
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  if (result.error) lines.push(`error: ${result.error}`);
  return lines.join('\n');
}

/**
 * The drift a report found, one change a line: what changed outside the product since the run it
 * names recorded the schema, as `dataflow drift` prints it and a run accepted or refused it.
 */
export function driftBlock(report: DriftReport, accepted?: boolean): string[] {
  const base = report.baseline;
  const since = base
    ? `since run ${base.runId.slice(0, 8)} (${base.workflow}, ${base.startedAt}, ${base.state}) recorded it`
    : '';
  const head =
    accepted === true
      ? `drift accepted for this run (the database changed outside DataFlow Studio ${since}):`
      : `the database changed outside DataFlow Studio ${since}:`;
  const lines = [head.replace(' :', ':'), ...driftLines(report).map((l) => `  ${l}`)];
  if (accepted === false) lines.push('to apply anyway, check the changes and accept them: --accept-drift');
  return lines;
}

/** The safety review of an apply: its errors and warnings, each waiver's reason, and how to waive what stood. */
function reviewLines(review: RunReview): string[] {
  const shown = review.findings.filter((f) => f.severity !== 'info');
  const lines = [
    `safety review (config: ${review.config ?? 'defaults'}): ${shown.length === 0 ? 'no error or warning' : ''}`.trimEnd(),
  ];
  for (const f of shown) {
    const waiver = waiverFor(f, review.waivers);
    lines.push(`  ${findingPlace(f)}: ${f.severity} [${f.code}] ${LINT_RULES[f.code].title}: ${f.message}`);
    if (waiver) lines.push(`    waived: ${waiver.reason}`);
  }
  const standing = [...new Set(standingErrors(review.findings, review.waivers).map((f) => f.code))];
  if (standing.length > 0)
    lines.push(
      `to apply anyway, fix the node(s) or accept the finding(s): --waive ${standing.join(',')} --reason "<why>"`,
    );
  return lines;
}
