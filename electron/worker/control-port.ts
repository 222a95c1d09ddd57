/**
 * The main side's messages to a worker job (messages.ts `ControlMessage`), on the job's control
 * port: `cancel` aborts the job's signal, `confirm` answers a fleet's pause between waves. The
 * port is also read synchronously before every statement (`polledDriver`), so that a synchronous
 * SQLite run, which keeps the thread's event loop busy, sees a cancel between statements.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Driver } from '../db/driver.ts';
import type { ControlMessage } from './messages.ts';

export class ControlPort {
  readonly controller = new AbortController();
  private answer: ((go: boolean) => void) | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: ControlMessage) => this.handle(m));
  }

  private handle(m: ControlMessage): void {
    if (m.type === 'cancel') {
      this.controller.abort();
      this.settle(false);
    } else if (m.type === 'confirm') this.settle(m.go);
  }

  private settle(go: boolean): void {
    const answer = this.answer;
    this.answer = null;
    answer?.(go);
  }

  /** Waits for the main side's `confirm` (false when the job is cancelled meanwhile). */
  confirmation(): Promise<boolean> {
    if (this.controller.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => (this.answer = resolve));
  }

  /** Handles a message that arrived while synchronous work kept the event loop busy. */
  poll(): void {
    const received = receiveMessageOnPort(this.port);
    if (received) this.handle(received.message as ControlMessage);
  }

  /** `driver`, reading the control port before each statement. */
  polledDriver(driver: Driver): Driver {
    const sync = driver.querySync?.bind(driver);
    return {
      dialect: driver.dialect,
      label: driver.label,
      query: (sql, params) => {
        this.poll();
        return driver.query(sql, params);
      },
      ...(sync && {
        querySync: <R>(sql: string, params?: readonly unknown[]) => {
          this.poll();
          return sync<R>(sql, params);
        },
      }),
      inTransaction: () => driver.inTransaction(),
      close: () => driver.close(),
    };
  }

  close(): void {
    this.port.close();
  }
}
