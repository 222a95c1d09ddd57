/**
 * A fleet job in the run worker (messages.ts, `kind: 'fleet'`): the editor's fleet, run by
 * electron/fleet/waves.ts `runFleet` in this thread rather than the host's, so that a SQLite
 * target's synchronous statements never block the host's event loop. Its events are posted as
 * they happen (the last is `fleet_finished`); a pause between waves posts `wave_confirm` and waits
 * for the main side's `confirm`; a cancel aborts the fleet's signal, read before every statement
 * of every target.
 */
import { parseWorkflow } from '../../shared/workflow.ts';
import type { OpenableTarget } from '../fleet/run-target.ts';
import { runFleet } from '../fleet/waves.ts';
import type { ControlPort } from './control-port.ts';
import type { WorkerJob, WorkerMessage } from './messages.ts';

export async function runFleetJob(
  job: Extract<WorkerJob, { kind: 'fleet' }>,
  control: ControlPort,
  post: (message: WorkerMessage) => void,
  nativeBinding: string | undefined,
): Promise<void> {
  const { workflow } = parseWorkflow(job.text);
  const targets = job.targets.map((t): OpenableTarget => ({
    label: t.label,
    connectionLabel: t.connectionLabel,
    connect: () => {
      if ('error' in t) throw new Error(t.error);
      return t.target;
    },
    ...(nativeBinding !== undefined && { nativeBinding }),
  }));
  await runFleet(workflow, targets, job.invalid, {
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
