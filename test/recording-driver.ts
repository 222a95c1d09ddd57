/**
 * The real driver of a test database, keeping every statement it was given, in order. `before`
 * runs one statement on the same connection ahead of the first statement matching `at` (to
 * change the data at an exact point of a run, e.g. between the preflight plan and the apply pass).
 */
import type { Driver, QueryResult } from '../electron/db/driver.ts';

export class RecordingDriver implements Driver {
  readonly sql: string[] = [];

  constructor(
    private readonly inner: Driver,
    private hook?: { at: RegExp; before: string },
  ) {
    if (inner.querySync) this.querySync = this.recordedSync.bind(this);
  }

  /** The inner driver's synchronous form, recorded and hooked the same way, where it has one. */
  readonly querySync?: Driver['querySync'];

  private recordedSync<R>(sql: string, params?: readonly unknown[]): QueryResult<R> {
    const inner = this.inner as Required<Driver>;
    const before = this.hookBefore(sql);
    if (before !== undefined) inner.querySync(before);
    this.sql.push(sql);
    return inner.querySync<R>(sql, params);
  }

  get dialect() {
    return this.inner.dialect;
  }

  get label() {
    return this.inner.label;
  }

  async query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const before = this.hookBefore(sql);
    if (before !== undefined) await this.inner.query(before);
    this.sql.push(sql);
    return this.inner.query<R>(sql, params);
  }

  /** The hook's statement when `sql` is the one it waits for (once). */
  private hookBefore(sql: string): string | undefined {
    if (!this.hook?.at.test(sql)) return undefined;
    const { before } = this.hook;
    this.hook = undefined;
    return before;
  }

  inTransaction() {
    return this.inner.inTransaction();
  }

  close() {
    return this.inner.close();
  }
}
