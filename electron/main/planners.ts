/**
 * The warm planners: one long-lived planning worker per saved connection
 * (electron/worker/planning-worker.ts), started by the first plan, review or schema read on that
 * connection and kept until the connection's target changes or the host stops. Each keeps the
 * live schema it read and its node plans until `forget` (after a run, a demo database, a rollback,
 * or a refresh of the schema). The worker removes the password from its answers.
 */
import { Worker } from 'node:worker_threads';
import type {
  PlannerAnswers,
  PlannerInit,
  PlannerMessage,
  PlannerReply,
  PlannerRequest,
} from '../worker/planner-messages.ts';
import { defaultPlannerEntry } from '../worker/planner-entry.ts';
import type { DbTarget } from '../worker/targets.ts';
import { rebuildError } from './worker-errors.ts';

type Body<K extends PlannerRequest['kind']> = Omit<Extract<PlannerRequest, { kind: K }>, 'id'>;

interface Pending {
  resolve(value: PlannerAnswers[keyof PlannerAnswers]): void;
  reject(error: Error): void;
}

/** One connection's worker and its requests in flight. */
class PlannerThread {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;
  /** Settles when the thread has ended. */
  readonly ended: Promise<void>;

  constructor(
    readonly key: string,
    private readonly target: DbTarget,
    entry: URL,
    nativeBinding?: string,
  ) {
    const init: PlannerInit = { target, ...(nativeBinding !== undefined && { nativeBinding }) };
    this.worker = new Worker(entry, { workerData: init });
    this.worker.on('message', (reply: PlannerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(rebuildError(reply.error));
    });
    let failure: Error | null = null;
    this.worker.on('error', (e) => (failure = e));
    this.ended = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        const why = failure?.message ?? `exit code ${code}`;
        for (const p of this.pending.values()) p.reject(new Error(`the planner of ${target.label} stopped: ${why}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  request<K extends PlannerRequest['kind']>(body: Body<K>): Promise<PlannerAnswers[K]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      const message = { ...body, id } as unknown as PlannerMessage;
      this.worker.postMessage(message);
    });
  }

  forget(): void {
    this.worker.postMessage({ kind: 'forget' } satisfies PlannerMessage);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
    await this.ended;
  }
}

export class Planners {
  private readonly threads = new Map<string, PlannerThread>();

  constructor(private readonly options: { nativeBinding?: string; entry?: URL } = {}) {}

  /** A plan of the workflow `text` on the connection (PlannerAnswers.plan). */
  plan(connectionId: string, target: DbTarget, body: Body<'plan'>): Promise<PlannerAnswers['plan']> {
    return this.thread(connectionId, target).request<'plan'>(body);
  }

  /** The safety review of the workflow `text` on the connection. */
  lint(connectionId: string, target: DbTarget, body: Body<'lint'>): Promise<PlannerAnswers['lint']> {
    return this.thread(connectionId, target).request<'lint'>(body);
  }

  /** The connection's live schema: as last read, or read again with `refresh`. */
  schema(connectionId: string, target: DbTarget, refresh: boolean): Promise<PlannerAnswers['schema']> {
    return this.thread(connectionId, target).request<'schema'>({ kind: 'schema', refresh });
  }

  /** The connection's database changed: its planner reads it again at the next request. */
  forget(connectionId: string): void {
    this.threads.get(connectionId)?.forget();
  }

  /** Stops every planner (the host stops). */
  async stopAll(): Promise<void> {
    const threads = [...this.threads.values()];
    this.threads.clear();
    await Promise.all(threads.map((t) => t.stop()));
  }

  /** The connection's planner, started when missing or when its target changed (a new file, host, password...). */
  private thread(connectionId: string, target: DbTarget): PlannerThread {
    const key = JSON.stringify(target);
    const have = this.threads.get(connectionId);
    if (have?.key === key) return have;
    if (have) void have.stop();
    const thread = new PlannerThread(
      key,
      target,
      this.options.entry ?? defaultPlannerEntry(),
      this.options.nativeBinding,
    );
    this.threads.set(connectionId, thread);
    void thread.ended.then(() => {
      if (this.threads.get(connectionId) === thread) this.threads.delete(connectionId);
    });
    return thread;
  }
}
