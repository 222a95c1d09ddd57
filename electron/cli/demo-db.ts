/** `dataflow demo-db <conn> [--rows N] [--force]`: creates the demo database. */
import { EXIT, UsageError, connect, err, formatDuration, out, type Command } from './common.ts';

export const demoDbCommand: Command = {
  name: 'demo-db',
  help: `Usage: dataflow demo-db <conn> [--rows N] [--force]

Creates the guide's tables as they are before its examples run, filled with realistic,
deterministic rows: users, orders (-> users), products, contacts, test_users.
A SQLite file is created when it does not exist.

  <conn>       sqlite:<path> or postgres://user:password@host:port/database
  --rows N     number of orders (default 100000); users = N/10, products = N/100,
               contacts = N/20, test_users = 100
  --force      drop and recreate the demo tables (and the dataflow_* tracking tables)
               when they exist; without it an existing demo table is an error

Exit codes: 0 created, 1 failed, 2 unusable input (bad connection or --rows, tables exist)

Example: dataflow demo-db sqlite:demo.db --rows 10000`,
  options: { rows: { type: 'string' }, force: { type: 'boolean' } },
  positionals: ['conn'],
  async run([conn], flags) {
    const rows = flags.rows === undefined ? undefined : Number(flags.rows);
    if (rows !== undefined && (!Number.isSafeInteger(rows) || rows < 1))
      throw new UsageError(`--rows must be a positive whole number, got "${String(flags.rows)}"`);
    const { createDemoDatabase, DemoExistsError } = await import('../db/demo.ts');
    const db = await connect(conn!, { mustExist: false });
    const started = performance.now();
    const tty = process.stderr.isTTY;
    try {
      const counts = await createDemoDatabase(db, {
        rows,
        force: flags.force === true,
        onProgress: (p) => {
          if (tty) process.stderr.write(`\r\x1b[2K${p.table}: ${p.done}/${p.total}`);
          else if (p.done === p.total) err(`${p.table}: ${p.total} rows`);
        },
      });
      if (tty) process.stderr.write('\r\x1b[2K');
      out(`demo database ready on ${db.driver.label} in ${formatDuration(performance.now() - started)}`);
      for (const [table, n] of Object.entries(counts)) out(`  ${table.padEnd(10)} ${n} rows`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof DemoExistsError) throw new UsageError(e.message);
      throw e;
    } finally {
      await db.driver.close();
    }
  },
};
