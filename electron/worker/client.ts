/** Starts one worker job and relays its messages; cancel politely, terminate if it does not stop. */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ControlMessage, WorkerInit, WorkerJob, WorkerMessage } from './messages.ts';

/**
 * The worker script: the TypeScript sources through tsx when this module runs from source, else
 * the bundle next to the main bundle (`out/worker/run-worker.js`, see electron/main/bundle.ts).
 */
export function defaultWorkerEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./dev-entry.mjs', import.meta.url)
    : new URL('../worker/run-worker.js', import.meta.url);
}

export interface WorkerOptions {
  entry?: URL;
  nativeBinding?: string;
  onMessage(message: WorkerMessage): void;
}

export interface JobHandle {
  /** Asks the job to stop between statements. */
  cancel(): void;
  /** Answers a fleet job's `wave_confirm`: go on with the wave, or stop the fleet there. */
  confirm(go: boolean): void;
  /** Stops the thread at once (a database rolls back what was not committed). */
  terminate(): Promise<void>;
  /** Resolves when the thread has ended, with an error when it died rather than finished. */
  readonly ended: Promise<Error | null>;
}

export function startJob(job: WorkerJob, options: WorkerOptions): JobHandle {
  const { port1, port2 } = new MessageChannel();
  const init: WorkerInit = { job, nativeBinding: options.nativeBinding, cancelPort: port2 };
  const worker = new Worker(options.entry ?? defaultWorkerEntry(), { workerData: init, transferList: [port2] });
  worker.on('message', (m: WorkerMessage) => options.onMessage(m));
  const ended = new Promise<Error | null>((resolve) => {
    let error: Error | null = null;
    worker.on('error', (e) => {
      error = e;
    });
    worker.on('exit', (code) => {
      port1.close();
      resolve(error ?? (code === 0 ? null : new Error(`the run worker stopped with exit code ${code}`)));
    });
  });
  return {
    cancel: () => port1.postMessage({ type: 'cancel' } satisfies ControlMessage),
    confirm: (go) => port1.postMessage({ type: 'confirm', go } satisfies ControlMessage),
    terminate: async () => {
      await worker.terminate();
    },
    ended,
  };
}
