/**
 * The local fleet runner (docs/fleet.md, "Waves"): a canary wave first (default 1 target), then
 * waves of the chosen size, up to `parallel` targets at once inside a wave, each target an
 * ordinary run (run-target.ts). A failed canary stops the fleet; after it, `onError: 'stop'`
 * starts no new target once one failed, `'continue'` goes on until `maxFailures` targets failed.
 * `confirm` is asked before each wave after the canary. Cancel (`signal`) starts no new target
 * and cancels the running ones through the engine's own cancel (between statements). Targets
 * listed in `done` (a resumed fleet run's completed targets) are not run again.
 */
import { randomUUID } from 'node:crypto';
import type { RunResult } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import { countStatuses, type FleetStatus, type FleetTargetRow, type RunMatrix } from './matrix.ts';
import { runTarget, type OpenableTarget, type TargetOutcome, type TargetRunOptions } from './run-target.ts';
import type { InvalidTarget } from './targets.ts';

export interface WaveOptions {
  /** Targets run at once inside a wave (default 4). */
  parallel?: number;
  /** Targets of the first wave, which must all succeed before any other starts (default 1; 0: no canary). */
  canary?: number;
  /** Targets per wave after the canary (default: all the rest in one wave). */
  wave?: number;
  /** After a failure: start no new target (`stop`, default), or go on (`continue`). */
  onError?: 'stop' | 'continue';
  /** Stop starting targets once this many failed (default: no limit). */
  maxFailures?: number;
}

/** What the fleet reports as it goes: the grid of the editor and the CLI's lines follow these. */
export type FleetEvent =
  | { type: 'fleet_started'; matrix: RunMatrix }
  | { type: 'wave_started'; wave: number; labels: string[] }
  | { type: 'target_changed'; row: FleetTargetRow }
  | {
      type: 'target_finished';
      row: FleetTargetRow;
      outcome: TargetOutcome;
      /** The run's full result and snapshots, for the app's history (null: it never ran now). */
      result: RunResult | null;
      snapshots: Record<string, string>;
    }
  | { type: 'fleet_finished'; matrix: RunMatrix };

export interface FleetRunOptions extends WaveOptions {
  /** The fleet run's id (a resumed one keeps its id); default a new UUID. */
  fleetId?: string;
  /** Labels that completed in an earlier run of this fleet, with their run ids: not run again. */
  done?: ReadonlyMap<string, string | null>;
  /** Asked before each wave after the canary; false stops the fleet there. */
  confirm?: (wave: number, labels: readonly string[]) => Promise<boolean>;
  signal?: AbortSignal;
  onEvent?: (event: FleetEvent) => void;
  /** What every target's run takes (trust, review, accept drift...). */
  run?: Omit<TargetRunOptions, 'signal' | 'onEvent' | 'runId'>;
}

/** The targets in waves: the canary first, then chunks of `wave`. */
export function planWaves(labels: readonly string[], options: WaveOptions): string[][] {
  const canary = Math.min(options.canary ?? 1, labels.length);
  const rest = labels.slice(canary);
  const size = options.wave ?? rest.length;
  const waves = canary > 0 ? [labels.slice(0, canary)] : [[]];
  for (let i = 0; i < rest.length; i += Math.max(size, 1)) waves.push(rest.slice(i, i + Math.max(size, 1)));
  return waves;
}

/** Runs `workflow` on `targets` in waves; resolves with the final matrix (never throws for a target's faults). */
export async function runFleet(
  workflow: Workflow,
  targets: readonly OpenableTarget[],
  invalid: readonly InvalidTarget[],
  options: FleetRunOptions = {},
): Promise<RunMatrix> {
  const emit = (event: FleetEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not change the fleet.
    }
  };
  const parallel = Math.max(1, options.parallel ?? 4);
  const done = options.done ?? new Map<string, string | null>();
  const todo = targets.filter((t) => !done.has(t.label));
  const waves = planWaves(
    todo.map((t) => t.label),
    options,
  );
  const waveOf = new Map(waves.flatMap((labels, w) => labels.map((l) => [l, w] as const)));
  const byLabel = new Map(targets.map((t) => [t.label, t]));
  const rows = new Map<string, FleetTargetRow>();
  for (const t of targets) {
    const earlier = done.has(t.label);
    rows.set(t.label, {
      label: t.label,
      connection: t.connectionLabel,
      wave: waveOf.get(t.label) ?? null,
      status: earlier ? 'succeeded' : 'pending',
      runId: earlier ? (done.get(t.label) ?? null) : null,
      error: null,
      startedAt: null,
      durationMs: null,
    });
  }
  for (const t of invalid)
    rows.set(t.label, {
      label: t.label,
      connection: t.source,
      wave: null,
      status: 'invalid',
      runId: null,
      error: { kind: 'invalid', message: `${t.source}: ${t.label}: "${t.field}" ${t.message}` },
      startedAt: null,
      durationMs: null,
    });
  const matrix: RunMatrix = {
    kind: 'run',
    fleetId: options.fleetId ?? randomUUID(),
    workflow: workflow.name,
    startedAt: new Date().toISOString(),
    status: 'running',
    stopReason: null,
    targets: [...rows.values()],
    counts: countStatuses([...rows.values()]),
  };
  const update = (label: string, patch: Partial<FleetTargetRow>): FleetTargetRow => {
    const row = { ...rows.get(label)!, ...patch };
    rows.set(label, row);
    return row;
  };
  emit({ type: 'fleet_started', matrix: snapshot() });

  function snapshot(): RunMatrix {
    const list = [...rows.values()];
    return { ...matrix, targets: list, counts: countStatuses(list) };
  }

  let failures = 0;
  let canaryFailed = false;
  let stopReason: string | null = null;
  const cancelled = () => options.signal?.aborted === true;
  const order = workflow.nodes.length;

  async function runOne(target: OpenableTarget): Promise<void> {
    let nodesDone = 0;
    emit({
      type: 'target_changed',
      row: update(target.label, {
        status: 'running',
        startedAt: new Date().toISOString(),
        nodesDone,
        nodesTotal: order,
      }),
    });
    const { outcome, result, snapshots } = await runTarget(workflow, target, {
      ...options.run,
      signal: options.signal,
      onEvent: (event) => {
        if (event.type === 'run_started')
          emit({
            type: 'target_changed',
            row: update(target.label, { runId: event.runId, nodesTotal: event.order.length }),
          });
        else if (event.type === 'node_started')
          emit({ type: 'target_changed', row: update(target.label, { currentNode: event.nodeId }) });
        else if (event.type === 'node_finished')
          emit({ type: 'target_changed', row: update(target.label, { nodesDone: ++nodesDone }) });
      },
    });
    if (outcome.status === 'failed') {
      failures++;
      if (waveOf.get(target.label) === 0 && waves[0]!.length > 0) canaryFailed = true;
    }
    const row = update(target.label, {
      status: outcome.status,
      runId: outcome.runId,
      error: outcome.error,
      startedAt: outcome.startedAt,
      durationMs: outcome.durationMs,
      currentNode: null,
    });
    emit({ type: 'target_finished', row, outcome, result, snapshots });
  }

  /** Why no new target may start now, or null. */
  function stopping(): string | null {
    if (cancelled()) return 'cancelled';
    if (canaryFailed) return 'the canary failed';
    if (failures > 0 && (options.onError ?? 'stop') === 'stop') return `a target failed (--on-error stop)`;
    if (options.maxFailures !== undefined && failures >= options.maxFailures)
      return `${failures} target${failures === 1 ? '' : 's'} failed (--max-failures ${options.maxFailures})`;
    return null;
  }

  for (let w = 0; w < waves.length && stopReason === null; w++) {
    const labels = waves[w]!;
    if (labels.length === 0) continue;
    stopReason = stopping();
    if (stopReason) break;
    if (w > 0 && waves[0]!.length > 0 && options.confirm && !(await options.confirm(w, labels))) {
      stopReason = `wave ${w} was not confirmed`;
      break;
    }
    emit({ type: 'wave_started', wave: w, labels });
    const queue = [...labels];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (stopping() !== null) {
          queue.unshift(next);
          return;
        }
        await runOne(byLabel.get(next)!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, labels.length) }, worker));
    stopReason = stopping();
  }
  for (const row of [...rows.values()])
    if (row.status === 'pending') emit({ type: 'target_changed', row: update(row.label, { status: 'skipped' }) });
  const final = snapshot();
  // Stopped only when a target was left out; a failure in the last targets is just a failure.
  if (final.counts.skipped === 0) stopReason = null;
  const status: FleetStatus = cancelled()
    ? 'cancelled'
    : stopReason
      ? 'stopped'
      : final.counts.failed + final.counts.invalid + final.counts.cancelled > 0
        ? 'failed'
        : 'succeeded';
  const finished: RunMatrix = { ...final, status, stopReason: status === 'cancelled' ? 'cancelled' : stopReason };
  emit({ type: 'fleet_finished', matrix: finished });
  return finished;
}
