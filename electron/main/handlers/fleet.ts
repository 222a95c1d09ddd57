/**
 * The editor's fleets (docs/fleet.md, "In the editor"): fleet.targets (what a choice of saved
 * connections or a targets file would hit), fleet.plan (the plan matrix, made in a run worker), fleet.start (the waves
 * of electron/fleet/waves.ts, run in a worker thread of their own (fleet-runs.ts), their events
 * sent as AppEvent `fleet` to the window or socket that started them, the fleet and each target's
 * run recorded in History as `dataflow fleet run` records them), fleet.confirmWave (the pause
 * between waves), fleet.cancel, and fleet.list / fleet.get (the fleet runs of History with their
 * targets).
 */
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { environmentLabel } from '../../../shared/environment.ts';
import type { FleetTargetInfo, FleetTargetsChoice } from '../../../shared/fleet.ts';
import { openable, type OpenableTarget } from '../../fleet/run-target.ts';
import { TargetsFileError, readTargetsFile, type InvalidTarget } from '../../fleet/targets.ts';
import { FleetHistory } from '../../store/fleet-history.ts';
import type { AppContext } from '../core.ts';
import type { FleetJob } from '../fleet-runs.ts';
import type { FleetJobTarget } from '../../worker/messages.ts';
import { IpcFailure, type IpcMainLike, type IpcSender } from '../ipc-table.ts';
import { lintConfigFor } from './lint-config.ts';
import { workflowFromText } from './workflow-text.ts';

interface Chosen {
  info: FleetTargetInfo[];
  targets: OpenableTarget[];
  invalid: InvalidTarget[];
}

/** The targets of a choice: saved connections (a read-only one is invalid for an apply), or a targets file. */
async function chosenTargets(ctx: AppContext, choice: FleetTargetsChoice, apply: boolean): Promise<Chosen> {
  if ('file' in choice) {
    if (!choice.file.endsWith('.json'))
      throw new IpcFailure('a targets file is a .json file (docs/fleet.md, "A targets file")', 'targets.file');
    let list;
    try {
      list = await readTargetsFile(resolve(choice.file));
    } catch (e) {
      if (e instanceof TargetsFileError) throw new IpcFailure(e.message, 'targets.file');
      throw e;
    }
    return {
      info: list.targets.map((t) => ({
        label: t.label,
        connection: t.connectionLabel,
        environment: t.environment,
        tags: t.tags,
      })),
      targets: list.targets.map((t) => openable(t)),
      invalid: list.invalid,
    };
  }
  const chosen: Chosen = { info: [], targets: [], invalid: [] };
  for (const id of choice.connectionIds) {
    const conn = ctx.connection(id, 'targets.connectionIds');
    const source = `saved connection "${conn.name}"`;
    if (apply && conn.readOnly) {
      chosen.invalid.push({
        label: conn.name,
        source,
        field: 'readOnly',
        message: 'is set: the connection is read-only, so it is not applied to; clear "read-only" in its settings',
      });
      continue;
    }
    const target = ctx.target(conn);
    chosen.info.push({
      label: conn.name,
      connection: target.label,
      environment: conn.environment ? environmentLabel(conn.environment) : null,
      tags: conn.tags ?? [],
    });
    chosen.targets.push({
      label: conn.name,
      connectionLabel: target.label,
      connect: () => ctx.target(conn),
    });
  }
  return chosen;
}

/** The target as the fleet's worker gets it: where it connects, password included, or why it cannot. */
function jobTarget(t: OpenableTarget): FleetJobTarget {
  const named = { label: t.label, connectionLabel: t.connectionLabel };
  try {
    return { ...named, target: t.connect() };
  } catch (e) {
    return { ...named, error: e instanceof Error ? e.message : String(e) };
  }
}

export function registerFleetHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  const history = new FleetHistory(ctx.store);

  ipc.handle('fleet.targets', async (_sender, { targets }) => {
    const chosen = await chosenTargets(ctx, targets, false);
    return { targets: chosen.info, invalid: chosen.invalid };
  });

  ipc.handle('fleet.plan', async (_sender, { text, targets, filePath }) => {
    const workflow = workflowFromText(text);
    const chosen = await chosenTargets(ctx, targets, false);
    return ctx.fleets.plan({
      kind: 'fleet_plan',
      text,
      targets: chosen.targets.map(jobTarget),
      invalid: chosen.invalid,
      config: await lintConfigFor(filePath),
      trustCode: ctx.codeTrust.holds(filePath ?? null, workflow),
    });
  });

  ipc.handle('fleet.start', async (sender, p) => {
    const workflow = workflowFromText(p.text);
    const chosen = await chosenTargets(ctx, p.targets, true);
    const config = await lintConfigFor(p.filePath);
    const fleetId = randomUUID();
    const filePath = p.filePath ?? null;
    const connectionIds = new Map(
      'connectionIds' in p.targets
        ? p.targets.connectionIds.map((id) => [ctx.connection(id, 'targets').name, id] as const)
        : [],
    );
    const send = (event: Parameters<IpcSender['send']>[0]) => {
      try {
        sender.send(event);
      } catch {
        // The window or socket closed: the fleet goes on, History keeps it.
      }
    };
    const job: FleetJob = {
      kind: 'fleet',
      fleetId,
      text: p.text,
      targets: chosen.targets.map(jobTarget),
      invalid: chosen.invalid,
      waves: {
        canary: p.canary,
        parallel: p.parallel,
        onError: p.onError,
        ...(p.wave !== undefined && { wave: p.wave }),
        ...(p.maxFailures !== undefined && { maxFailures: p.maxFailures }),
      },
      pause: p.pause,
      trustCode: ctx.codeTrust.holds(filePath, workflow),
      review: { config, waivers: [] },
      acceptDrift: p.acceptDrift,
    };
    ctx.fleets.start(job, workflow.name, {
      onConfirm: (wave, labels) => send({ type: 'fleet', event: { type: 'wave_confirm', fleetId, wave, labels } }),
      onEvent: (e) => {
        if (e.type === 'fleet_started') {
          history.start(e.matrix, filePath, {
            canary: p.canary,
            wave: p.wave,
            parallel: p.parallel,
            onError: p.onError,
            maxFailures: p.maxFailures,
            targets: p.targets,
          });
          send({ type: 'fleet', event: { type: 'fleet_started', matrix: e.matrix } });
        } else if (e.type === 'target_changed') {
          if (e.row.status !== 'running') history.put(fleetId, e.row);
          send({ type: 'fleet', event: { type: 'target_changed', fleetId, row: e.row } });
        } else if (e.type === 'target_finished') {
          if (e.result)
            ctx.store.addRun(
              e.result,
              { connectionId: connectionIds.get(e.row.label) ?? null, connectionName: e.row.label, filePath },
              e.snapshots,
            );
          history.put(fleetId, e.row);
          send({ type: 'fleet', event: { type: 'target_changed', fleetId, row: e.row } });
        } else if (e.type === 'fleet_finished') {
          history.finish(fleetId, e.matrix.status, e.matrix.stopReason);
          send({ type: 'fleet', event: { type: 'fleet_finished', matrix: e.matrix } });
        }
      },
    });
    return { fleetId };
  });

  ipc.handle('fleet.confirmWave', (_sender, { fleetId, go }) => ({ waiting: ctx.fleets.confirm(fleetId, go) }));

  ipc.handle('fleet.cancel', (_sender, { fleetId }) => ({ cancelled: ctx.fleets.cancel(fleetId) }));

  ipc.handle('fleet.list', (_sender, { limit }) => history.list(limit));
  ipc.handle('fleet.get', (_sender, { fleetId }) => history.get(fleetId));
}
