/**
 * The only statements the engine issues itself: BEGIN (the dialect's `beginSql`), COMMIT,
 * ROLLBACK and savepoints. Frames nest: the outermost is a transaction, every inner one a
 * savepoint, so a node, a scope and a rehearse can each be undone on their own.
 */
import type { Database } from '../db/connect.ts';

/** One open transaction or savepoint. */
export interface TxFrame {
  readonly depth: number;
  /** Savepoint name; null for the outermost transaction. */
  readonly savepoint: string | null;
}

export class Transactions {
  private readonly frames: TxFrame[] = [];
  private counter = 0;

  constructor(private readonly db: Database) {}

  /** Number of open frames (0: autocommit). */
  get depth(): number {
    return this.frames.length;
  }

  /** Opens a transaction (with `isolation` where supported) or, inside one, a savepoint. */
  async open(isolation?: string): Promise<TxFrame> {
    const depth = this.frames.length;
    const savepoint = depth === 0 ? null : `dataflow_sp_${++this.counter}`;
    if (savepoint === null) await this.db.driver.query(this.db.dialect.beginSql(isolation));
    else await this.db.driver.query(`SAVEPOINT ${this.db.dialect.quoteIdent(savepoint)}`);
    const frame = { depth, savepoint };
    this.frames.push(frame);
    return frame;
  }

  async commit(frame: TxFrame): Promise<void> {
    if (!this.frames.includes(frame))
      throw new Error('the database ended the transaction before it could commit; nothing was saved');
    this.pop(frame);
    if (frame.savepoint === null) await this.db.driver.query('COMMIT');
    else await this.db.driver.query(`RELEASE SAVEPOINT ${this.db.dialect.quoteIdent(frame.savepoint)}`);
  }

  /** Undoes the frame. Tolerates a transaction the database already ended (SQLite does on some errors). */
  async rollback(frame: TxFrame): Promise<void> {
    if (!this.frames.includes(frame)) return;
    this.pop(frame);
    if (!this.db.driver.inTransaction()) {
      this.frames.length = 0;
      return;
    }
    if (frame.savepoint === null) {
      await this.db.driver.query('ROLLBACK');
      return;
    }
    const name = this.db.dialect.quoteIdent(frame.savepoint);
    await this.db.driver.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await this.db.driver.query(`RELEASE SAVEPOINT ${name}`);
  }

  /** Ends everything: rolls back the transaction (if the database still has one) with every frame in it. */
  async reset(): Promise<void> {
    this.frames.length = 0;
    if (this.db.driver.inTransaction()) await this.db.driver.query('ROLLBACK');
  }

  /** Runs `fn` in its own frame: committed when it returns, rolled back when it throws. */
  async atomic<T>(fn: () => Promise<T>, isolation?: string): Promise<T> {
    const frame = await this.open(isolation);
    let value: T;
    try {
      value = await fn();
    } catch (e) {
      await this.rollback(frame);
      throw e;
    }
    await this.commit(frame);
    return value;
  }

  private pop(frame: TxFrame): void {
    const top = this.frames[this.frames.length - 1];
    if (top !== frame)
      throw new Error(`transaction frames closed out of order (frame ${frame.depth}, open ${this.frames.length})`);
    this.frames.pop();
  }
}
