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
  ) {}

  get dialect() {
    return this.inner.dialect;
  }

  get label() {
    return this.inner.label;
  }

  async query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    if (this.hook && this.hook.at.test(sql)) {
      const { before } = this.hook;
      this.hook = undefined;
      await this.inner.query(before);
    }
    this.sql.push(sql);
    return this.inner.query<R>(sql, params);
  }

  inTransaction() {
    return this.inner.inTransaction();
  }

  close() {
    return this.inner.close();
  }
}
