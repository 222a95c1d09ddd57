/**
 * A pass-through Driver that timestamps the transactions run on it: BEGIN (or START
 * TRANSACTION) opens a span, COMMIT or ROLLBACK closes it. The statements still run on the real
 * driver, unchanged; only `performance.now()` is read around them, so there is no trigger or
 * extra query in the measured transactions. Client-side wall time from sending BEGIN to COMMIT's
 * reply is an upper bound of how long the server held the transaction's locks.
 */
import type { Database } from '../../electron/db/connect.ts';
import type { Driver, QueryResult } from '../../electron/db/driver.ts';

export interface TxSpan {
  ms: number;
  /** The statements run between BEGIN and COMMIT, in order (without BEGIN/COMMIT). */
  statements: string[];
  committed: boolean;
}

const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const END = /^\s*(COMMIT|END|ROLLBACK)\b(?!\s+TO\b)/i;

/** Statements grouped by their first word (`SELECT`, `UPDATE`, `COMMIT`...): count and total time. */
export type StatementTimes = Record<string, { count: number; ms: number }>;

export class TimedDriver implements Driver {
  readonly spans: TxSpan[] = [];
  readonly statements: StatementTimes = {};
  private open: { t0: number; statements: string[] } | null = null;

  constructor(private readonly inner: Driver) {
    if (inner.querySync) this.querySync = this.timedSync.bind(this);
  }

  /** The inner driver's synchronous form, timed the same way, where it has one. */
  readonly querySync?: Driver['querySync'];

  private timedSync<R>(sql: string, params?: readonly unknown[]): QueryResult<R> {
    const t0 = performance.now();
    let ok = false;
    try {
      const r = (this.inner as Required<Driver>).querySync<R>(sql, params);
      ok = true;
      return r;
    } finally {
      this.ran(sql, t0, ok);
    }
  }

  get dialect() {
    return this.inner.dialect;
  }
  get label() {
    return this.inner.label;
  }

  async query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const t0 = performance.now();
    let ok = false;
    try {
      const r = await this.inner.query<R>(sql, params);
      ok = true;
      return r;
    } finally {
      this.ran(sql, t0, ok);
    }
  }

  /**
   * Books statement `sql`, started at `t0` and just ended: its kind's time and, when it succeeded
   * (`ok`), the transaction span it opens, ends or is part of.
   */
  private ran(sql: string, t0: number, ok: boolean): void {
    const kind = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
    const entry = (this.statements[kind] ??= { count: 0, ms: 0 });
    entry.count++;
    entry.ms += performance.now() - t0;
    if (!ok) return;
    if (BEGIN.test(sql)) {
      this.open = { t0, statements: [] };
      return;
    }
    const end = END.exec(sql);
    if (end && this.open) {
      this.spans.push({
        ms: performance.now() - this.open.t0,
        statements: this.open.statements,
        committed: end[1]!.toUpperCase() !== 'ROLLBACK',
      });
      this.open = null;
    } else if (this.open) this.open.statements.push(sql);
  }

  inTransaction(): boolean {
    return this.inner.inTransaction();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The same database, its driver wrapped in a TimedDriver. */
export function timedDatabase(db: Database): { db: Database; driver: TimedDriver } {
  const driver = new TimedDriver(db.driver);
  return { db: { ...db, driver }, driver };
}
