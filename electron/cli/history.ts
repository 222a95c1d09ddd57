/** `dataflow history --db <conn> [--json]`: the migrations recorded in dataflow_migrations. */
import { terminalJson } from '../../shared/terminal-text.ts';
import type { MigrationRecord } from '../db/migration-records.ts';
import { EXIT, connect, out, requireFlag, type Command } from './common.ts';
import { textTable, type TextColumns } from './text-table.ts';

export const historyCommand: Command = {
  name: 'history',
  help: `Usage: dataflow history --db <conn> [--json]

Lists every migration MigrationNode recorded in the database, oldest first: name, status,
version, breaking change, start and completion times, the run and workflow that recorded it,
and the error of a failed one. Reads only; a database never tracked shows no migrations.

  --db <conn>   sqlite:<path> or postgres://user:password@host:port/database
  --json        print the records as a JSON array on stdout

Exit codes: 0 listed, 1 failed, 2 unusable input

Example: dataflow history --db sqlite:demo.db`,
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  async run(_positionals, flags) {
    const conn = requireFlag(flags, 'db');
    const { history } = await import('../db/migration-records.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      const records = await history(db);
      out(flags.json ? terminalJson(records) : historyTable(records));
      return EXIT.ok;
    } finally {
      await db.driver.close();
    }
  },
};

const COLUMNS: TextColumns<MigrationRecord> = [
  ['name', (r) => r.name],
  ['status', (r) => r.status],
  ['version', (r) => r.version ?? ''],
  ['breaking', (r) => (r.breakingChange === null ? '' : r.breakingChange ? 'yes' : 'no')],
  ['started', (r) => r.startedAt ?? ''],
  ['completed', (r) => r.completedAt ?? ''],
  ['run', (r) => r.runId ?? ''],
  ['workflow', (r) => r.workflow ?? ''],
];

export function historyTable(records: readonly MigrationRecord[]): string {
  if (records.length === 0) return 'no migrations recorded';
  return textTable(COLUMNS, records, (r) => (r.error ? [`  error: ${r.error}`] : []));
}
