/**
 * A fleet run's plain data (docs/fleet.md), shared by the fleet code (electron/fleet), the app's
 * history (electron/store/fleet-history.ts) and the editor's fleet panel (renderer/fleet): the
 * plan matrix, the run matrix with a row per target, why a target did not succeed, the fleet
 * runs of History, and the events the host sends the editor as a fleet goes.
 */
import type { LintFinding } from './lint/finding.ts';

export type TargetErrorKind =
  /** The entry cannot be a target (targets.ts InvalidTarget): never run. */
  | 'invalid'
  /** No server at the address, no such database or SQLite file. */
  | 'unreachable'
  /** The server refused the user or the password. */
  | 'bad_credentials'
  /** A server older than the product supports (PostgreSQL before 12). */
  | 'unsupported_server'
  /** Another run held the target's migration lock. */
  | 'lock_held'
  /** The target changed outside the product since its last recorded apply. */
  | 'drift'
  /** The safety review refused the apply. */
  | 'lint_refused'
  /** The run failed (a node, or the preflight plan refused it). */
  | 'failed'
  /** Cancelled while it ran. */
  | 'cancelled';

export interface TargetError {
  kind: TargetErrorKind;
  /** For people: names the target's label, what is wrong and the fix. */
  message: string;
}

/**
 * - `would_apply`: the plan has statements to run and nothing stops them;
 * - `already_applied`: the target's records show this workflow applied (run-target.ts
 *   `appliedBefore`), or the plan runs nothing (every change is in the schema already);
 * - `would_fail`: the target cannot be opened, a node cannot succeed, or the review refuses it;
 * - `drift`: the target changed outside the product since its last recorded apply (an apply
 *   would be refused until the drift is accepted).
 */
export type PlanStatus = 'would_apply' | 'already_applied' | 'would_fail' | 'drift';

/** One statement of the plan, under the node that runs it. */
export interface PlannedStatement {
  node: string;
  sql: string;
}

/** One target's plan, as the matrix shows it. Plain data. */
export interface TargetPlan {
  label: string;
  connection: string;
  status: PlanStatus;
  /** The statements an apply would run now, in order (the product's own bookkeeping left out). */
  statements: PlannedStatement[];
  /** The safety review's findings on this target (severity after the configuration). */
  findings: LintFinding[];
  /** Why it would fail or is drifted, one line each (the problem naming the node and field, each drift change). */
  problems: string[];
  /** The run that applied this workflow on the target before (status `already_applied`), else null. */
  appliedBy: { runId: string; at: string } | null;
  /** Set when the target could not be planned at all (unreachable, bad credentials...). */
  error: TargetError | null;
  /** When the plan was read (ISO time): a later apply may find the target changed. */
  plannedAt: string;
  durationMs: number;
}

/** An entry that cannot be a target: what is wrong with which field, and the fix. Never run. */
export interface InvalidTarget {
  /** The entry's label when it has a usable one, else `entry <n>`. */
  label: string;
  source: string;
  /** The field at fault (`label`, `connection`, `password_env`...). */
  field: string;
  message: string;
}

/** A target's plan in the matrix: `differs` when its statements are not the common plan's. */
export interface PlanRow extends TargetPlan {
  differs: boolean;
}

export interface PlanMatrix {
  kind: 'plan';
  workflow: string;
  /** The statements most targets that would apply share (empty when none would). */
  common: PlannedStatement[];
  targets: PlanRow[];
  /** Entries of the targets that cannot be targets, never planned. */
  invalid: InvalidTarget[];
  counts: Record<PlanStatus | 'invalid', number>;
}

/** A target's state in a fleet run. `skipped`: not started, because the fleet stopped first. */
export type FleetTargetStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'invalid';

/** One target of a fleet run, as the grid, the history and the summary show it. */
export interface FleetTargetRow {
  label: string;
  connection: string;
  /** 0 for the canary wave, then 1, 2...; null for an invalid entry. */
  wave: number | null;
  status: FleetTargetStatus;
  /** The run's id on the target (`dataflow runs`, and the app's History); null before it opened. */
  runId: string | null;
  error: TargetError | null;
  startedAt: string | null;
  durationMs: number | null;
  /** While running: the node running now and the nodes done of all. */
  currentNode?: string | null;
  nodesDone?: number;
  nodesTotal?: number;
}

/** Whether the fleet ran to its end; `stopped`: it stopped on failures (on_error, max failures) or was not confirmed. */
export type FleetStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'cancelled';

export interface RunMatrix {
  kind: 'run';
  fleetId: string;
  workflow: string;
  startedAt: string;
  status: FleetStatus;
  /** Why it stopped before its end (`the canary failed`, `3 targets failed, --max-failures 3`...). */
  stopReason: string | null;
  targets: FleetTargetRow[];
  counts: Record<FleetTargetStatus, number>;
}

/** A fleet run as History lists it. */
export interface FleetSummary {
  fleetId: string;
  workflow: string;
  filePath: string | null;
  status: FleetStatus;
  stopReason: string | null;
  startedAt: string;
  targets: number;
  succeeded: number;
  failed: number;
}

/**
 * The targets of a fleet started from the editor: saved connections (their ids, in order), or a
 * targets file (an absolute path to a `targets.json`).
 */
export type FleetTargetsChoice = { connectionIds: string[] } | { file: string };

/** A target as the fleet panel lists it before planning: who it is and where it points. */
export interface FleetTargetInfo {
  label: string;
  connection: string;
  environment: string | null;
  tags: string[];
}

/** The events of a fleet run the editor started (AppEvent `fleet`), sent to the window or socket that started it. */
export type FleetUiEvent =
  | { type: 'fleet_started'; matrix: RunMatrix }
  | { type: 'target_changed'; fleetId: string; row: FleetTargetRow }
  /** The fleet waits before `wave` (pause between waves): `fleet.confirmWave` goes on or stops it. */
  | { type: 'wave_confirm'; fleetId: string; wave: number; labels: string[] }
  | { type: 'fleet_finished'; matrix: RunMatrix };
