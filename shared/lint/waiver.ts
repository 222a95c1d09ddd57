/**
 * Lint before apply (docs/lint.md, "Before apply"): an apply reviews the workflow on its target
 * and is refused while an error-level finding stands. The user may waive a finding with a reason
 * (`dataflow run --waive DF802 --reason "..."`, or the editor's Apply confirmation); the waivers
 * and the findings are recorded in the run's result, so its history entry says who accepted what.
 */
import type { LintFinding, NotEvaluated } from './finding.ts';
import { isLintCode, type LintCode } from './rules.ts';

/** The user's acceptance of an error-level finding: its code, on one node or (no node) on every node, and why. */
export interface LintWaiver {
  code: LintCode;
  /** The node the waiver covers; absent: every node with a finding of `code`. */
  node?: string;
  /** Why the finding is accepted (required, recorded in the run's history entry). */
  reason: string;
}

/** The review an apply made before it ran (RunResult.review). */
export interface RunReview {
  /** The configuration file that applied (null: the defaults). */
  config: string | null;
  /** Every finding, after the configuration. */
  findings: LintFinding[];
  /** The waivers given with the apply (each one covers at least one finding of this review). */
  waivers: LintWaiver[];
  /** Rules the review could not evaluate. */
  notEvaluated: NotEvaluated[];
}

/** The waiver that covers finding `f`, if any. */
export function waiverFor(f: LintFinding, waivers: readonly LintWaiver[]): LintWaiver | undefined {
  return waivers.find((w) => w.code === f.code && (w.node === undefined || w.node === f.node));
}

/** The error-level findings no waiver covers: while there is one, apply is refused. */
export function standingErrors(findings: readonly LintFinding[], waivers: readonly LintWaiver[]): LintFinding[] {
  return findings.filter((f) => f.severity === 'error' && !waiverFor(f, waivers));
}

/**
 * The waivers of `--waive <codes> --reason <text>`: codes separated by commas, each `DF802` (every
 * node) or `DF802@node_id` (one node). Throws an Error naming the flag and the fix.
 */
export function parseWaivers(codes: string, reason: string | undefined): LintWaiver[] {
  const why = reason?.trim() ?? '';
  if (why === '') throw new Error('--waive needs --reason "<why the finding is accepted>" (it is recorded in the run)');
  return codes
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const at = item.indexOf('@');
      const code = (at < 0 ? item : item.slice(0, at)).toUpperCase();
      const node = at < 0 ? undefined : item.slice(at + 1);
      if (!isLintCode(code))
        throw new Error(
          `--waive: ${code} is not a rule code (give DF802 or DF802@node_id; the codes are in docs/lint.md)`,
        );
      if (node === '')
        throw new Error(`--waive: ${item} names no node after "@" (give ${code}@node_id, or ${code} for every node)`);
      return node === undefined ? { code, reason: why } : { code, node, reason: why };
    });
}

/** One line per finding that refuses the apply: `node "x": [DF802] message`. */
export function describeStanding(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.node ? `node "${f.node}": ` : ''}[${f.code}] ${f.message}`).join('; ');
}
