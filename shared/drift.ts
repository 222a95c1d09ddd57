/**
 * The drift check before an apply (docs/recovery.md): the live schema compared with the schema
 * the product recorded after the last run applied on the database (someone changed the database
 * outside the product), and the migrations of the workflow that were completed and whose workflow
 * was edited since (MigrationNode's checksum check, by node). Plain data: it crosses IPC and
 * lands in run results.
 */
import { describeChange } from './diff-text.ts';
import type { SchemaDiff } from './diff-types.ts';

/** The run whose recorded schema the live one is compared with. */
export interface DriftBaseline {
  runId: string;
  workflow: string;
  startedAt: string;
  /** Its state as `dataflow runs` lists it (`succeeded`, `partially applied`...). */
  state: string;
}

/** A node of an applied migration's workflow that is not what the run that completed it ran. */
export interface EditedNode {
  node: string;
  change: 'edited' | 'added' | 'removed';
}

/** A migration of this workflow, completed by an earlier run, whose workflow was edited since. */
export interface EditedMigration {
  name: string;
  runId: string;
  completedAt: string | null;
  nodes: EditedNode[];
}

export interface DriftReport {
  /** Null when no apply was recorded on the database: there is nothing to compare with. */
  baseline: DriftBaseline | null;
  /** From the recorded schema to the live one (the product's own tables never count). */
  diff: SchemaDiff;
  editedMigrations: EditedMigration[];
}

/** What a run result says of drift: found and refused, or accepted by the user for this run. */
export interface RunDrift {
  report: DriftReport;
  accepted: boolean;
}

export function hasDrift(report: DriftReport): boolean {
  return report.diff.changes.length > 0 || report.editedMigrations.length > 0;
}

/** The report as lines: each schema change, then each edited migration with its nodes. */
export function driftLines(report: DriftReport): string[] {
  return [
    ...report.diff.changes.map(describeChange),
    ...report.editedMigrations.map(
      (m) =>
        `migration "${m.name}" (completed by run ${m.runId.slice(0, 8)}): its workflow changed since, ${m.nodes
          .map((n) => `node "${n.node}" ${n.change}`)
          .join(', ')}`,
    ),
  ];
}

/** Why an apply is refused for this drift, and how to go on. */
export function driftRefusal(report: DriftReport, connection: string): string {
  const since = report.baseline
    ? `since run ${report.baseline.runId.slice(0, 8)} (${report.baseline.workflow}, ${report.baseline.startedAt}) recorded it`
    : 'since it was recorded';
  const lines = driftLines(report);
  return (
    `${connection} changed outside DataFlow Studio ${since}, so nothing was run: ${lines.join('; ')}. ` +
    'Check the changes (dataflow drift), then accept them to apply (--accept-drift; in the editor, Accept drift and apply)'
  );
}
