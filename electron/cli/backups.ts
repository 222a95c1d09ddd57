/**
 * `dataflow backups --db <conn> [--purge <backup-id> | --older-than <age>] [--json]`: the prior
 * backups kept in the database (electron/db/backups.ts), with their size and age, and their purge.
 */
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, UsageError, connect, out, requireFlag, type Command } from './common.ts';
import { textTable, type TextColumns } from './text-table.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `12h`, `7d` in milliseconds; a UsageError otherwise. */
export function parseAge(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  if (!m) throw new UsageError(`--older-than must be an age such as 30m, 12h or 7d, not "${text}"`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** `3 d`, `5 h`, `12 min`, `40 s`. */
function age(ms: number): string {
  if (ms >= UNITS.d!) return `${Math.floor(ms / UNITS.d!)} d`;
  if (ms >= UNITS.h!) return `${Math.floor(ms / UNITS.h!)} h`;
  if (ms >= UNITS.m!) return `${Math.floor(ms / UNITS.m!)} min`;
  return `${Math.max(0, Math.floor(ms / 1000))} s`;
}

function bytes(n: number | null): string {
  if (n === null) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const backupsCommand: Command = {
  name: 'backups',
  help: `Usage: dataflow backups --db <conn> [--purge <backup-id> | --older-than <age>] [--json]

Lists the prior backups kept in the database, newest first: the values a drop_column, a lossy
alter_column_type, a DataBackfillNode or a same-table DataMigrationNode destroyed or overwrote,
with the key of each row, kept so that "dataflow rollback" can restore them. Each line: the
backup id, the run and node that made it, the table and columns, rows, size, age, and whether
it is complete (a walk that stopped part-way keeps the batches it committed), and the rollback
that restored from it, if one did.

  --db <conn>          sqlite:<path> or postgres://user:password@host:port/database
  --purge <backup-id>  drop this backup (its table and its row); a rollback of its run can then
                       no longer restore those values
  --older-than <age>   drop every backup older than this: 30m, 12h, 7d
  --json               print the backups (or the purged ones) as JSON

Exit codes: 0 listed or purged, 1 failed, 2 unusable input (no such backup, a bad age)

Example: dataflow backups --db sqlite:demo.db --older-than 30d`,
  options: {
    db: { type: 'string' },
    purge: { type: 'string' },
    'older-than': { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  async run(_positionals, flags) {
    const conn = requireFlag(flags, 'db');
    if (flags.purge !== undefined && flags['older-than'] !== undefined)
      throw new UsageError('--purge and --older-than: choose one');
    const olderThan = typeof flags['older-than'] === 'string' ? parseAge(flags['older-than']) : null;
    const { listBackups, backupSize, backupRestores, purgeBackups } = await import('../db/backups.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      const all = await listBackups(db);
      const now = Date.now();
      if (typeof flags.purge === 'string' || olderThan !== null) {
        const purged =
          typeof flags.purge === 'string'
            ? all.filter((b) => b.backupId === flags.purge)
            : all.filter((b) => now - Date.parse(b.createdAt) > olderThan!);
        if (typeof flags.purge === 'string' && purged.length === 0)
          throw new UsageError(`--purge: no backup "${flags.purge}" in this database (dataflow backups lists them)`);
        await purgeBackups(
          db,
          purged.map((b) => b.backupId),
        );
        if (flags.json) out(terminalJson(purged));
        else if (purged.length === 0) out('no backup is that old: nothing purged');
        else
          out(
            purged
              .map(
                (b) => `purged backup ${b.backupId} (${b.table}: ${b.columns.join(', ')}, run ${b.runId.slice(0, 8)})`,
              )
              .join('\n'),
          );
        return EXIT.ok;
      }
      const restores = await backupRestores(db, all);
      const listed = [];
      for (const b of all)
        listed.push({
          ...b,
          ...(await backupSize(db, b)),
          ageMs: now - Date.parse(b.createdAt),
          restoredBy: restores.get(b.backupId) ?? null,
        });
      if (flags.json) {
        out(terminalJson(listed));
        return EXIT.ok;
      }
      if (listed.length === 0) {
        out('no prior backups in this database');
        return EXIT.ok;
      }
      const columns: TextColumns<(typeof listed)[number]> = [
        ['backup', (b) => b.backupId],
        ['run', (b) => b.runId.slice(0, 8)],
        ['node', (b) => `${b.nodeId} (${b.kind})`],
        ['values of', (b) => `${b.table}: ${b.columns.join(', ')}`],
        ['rows', (b) => String(b.rows)],
        ['size', (b) => bytes(b.bytes)],
        ['age', (b) => age(b.ageMs)],
        ['complete', (b) => (b.finished ? 'yes' : 'no')],
        ['restored', (b) => (b.restoredBy ? `by run ${b.restoredBy.runId.slice(0, 8)}` : 'no')],
      ];
      out(textTable(columns, listed, () => []));
      return EXIT.ok;
    } finally {
      await db.driver.close();
    }
  },
};
