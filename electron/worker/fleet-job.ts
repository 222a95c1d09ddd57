/**
 * The fleet jobs of the run worker (messages.ts): `fleet_plan`, the editor's fleet plan
 * (electron/fleet/plan-fleet.ts `planFleet`), and `fleet`, the editor's fleet, run by
 * electron/fleet/waves.ts `runFleet` in this thread rather than the host's, so that a SQLite
 * target's synchronous statements never block the host's event loop. Its events are posted as
 * they happen (the last is `fleet_finished`); a pause between waves posts `wave_confirm` and waits
 * for the main side's `confirm`; a cancel aborts the fleet's signal, read before every statement
 * of every target.
 */
import { parseWorkflow } from '../../shared/workflow.ts';
import type { OpenableTarget } from '../fleet/run-target.ts';
import { planFleet } from '../fleet/plan-fleet.ts';
import { runFleet } from '../fleet/waves.ts';
import type { ControlPort } from './control-port.ts';
import type { FleetJobTarget, WorkerJob, WorkerMessage } from './messages.ts';

/** The job's targets as the fleet opens them: connecting to one that has no target throws its error. */
function openables(targets: readonly FleetJobTarget[], nativeBinding: string | undefined): OpenableTarget[] {
  return targets.map((t) => ({
    label: t.label,
    connectionLabel: t.connectionLabel,
    connect: () => {
      if ('error' in t) throw new Error(t.error);
      return t.target;
    },
    ...(nativeBinding !== undefined && { nativeBinding }),
  }));
}

/** Plans the fleet (nothing written) and posts its matrix. */
export async function planFleetJob(
  job: Extract<WorkerJob, { kind: 'fleet_plan' }>,
  post: (message: WorkerMessage) => void,
  nativeBinding: string | undefined,
): Promise<void> {
  const { workflow } = parseWorkflow(job.text);
  const matrix = await planFleet(workflow, openables(job.targets, nativeBinding), job.invalid, {
    config: job.config,
    trustCode: job.trustCode,
  });
  post({ type: 'fleet_plan', matrix });
}

/** Runs the fleet, posting its events; the last is `fleet_finished`. */
export async function runFleetJob(
  job: Extract<WorkerJob, { kind: 'fleet' }>,
  control: ControlPort,
  post: (message: WorkerMessage) => void,
  nativeBinding: string | undefined,
): Promise<void> {
  const { workflow } = parseWorkflow(job.text);
  await runFleet(workflow, openables(job.targets, nativeBinding), job.invalid, {
    ...job.waves,
    fleetId: job.fleetId,
    signal: control.controller.signal,
    ...(job.pause && {
      confirm: (wave: number, labels: readonly string[]) => {
        post({ type: 'wave_confirm', wave, labels: [...labels] });
        return control.confirmation();
      },
    }),
    run: {
      trustCode: job.trustCode,
      review: job.review,
      acceptDrift: job.acceptDrift,
      wrapDriver: (driver) => control.polledDriver(driver),
    },
    onEvent: (event) => post({ type: 'fleet', event }),
  });
}
