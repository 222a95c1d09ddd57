/**
 * SQLite's part of the data nodes' keyset walks (electron/db/data-sql.ts): how a key is read back
 * so it can be written as a literal again, which keys have min()/max(), and the WAL checkpoint
 * threshold a walk raises while it commits batch after batch.
 */
import type { WalCheckpointing } from '../dialect.ts';

/** Keeps the storage class (`typeof`), blobs as hex, so literals compare exactly. */
export function keyProjection(expr: string, prefix: string): string {
  return `CASE typeof(${expr}) WHEN 'blob' THEN hex(${expr}) ELSE CAST(${expr} AS TEXT) END AS ${prefix}_text, typeof(${expr}) AS ${prefix}_kind`;
}

/** Every SQLite value: min() and max() follow ORDER BY's order across storage classes. */
export function keyHasMinMax(): boolean {
  return true;
}

/**
 * `PRAGMA wal_autocheckpoint`, read and set; the WAL's frames read with `wal_checkpoint(NOOP)`
 * (SQLite 3.51 and later; an older SQLite takes an unknown mode for PASSIVE, and checkpoints);
 * a checkpoint now with `wal_checkpoint(PASSIVE)`, which waits for no reader or writer. `synchronous`
 * (durability) is left as it is.
 */
export const walCheckpointing: WalCheckpointing = {
  readJournalMode: 'PRAGMA journal_mode',
  readThreshold: 'PRAGMA wal_autocheckpoint',
  readPending: 'PRAGMA wal_checkpoint(NOOP)',
  set: (pages, why) => {
    if (!Number.isInteger(pages) || pages < 0)
      throw new Error(`a WAL checkpoint threshold must be an integer of 0 or more, got ${pages}`);
    return { sql: `PRAGMA wal_autocheckpoint = ${pages}`, comment: why, transactional: false, bookkeeping: true };
  },
  checkpoint: (why) => ({
    sql: 'PRAGMA wal_checkpoint(PASSIVE)',
    comment: why,
    transactional: false,
    bookkeeping: true,
  }),
};
