import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import type { RunResult } from '../../shared/run.ts';
import { runWorkflow } from './run.ts';
import { js, py, workflow } from '../../test/workflows.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase('sqlite');
});
afterAll(async () => {
  await db.cleanup();
});

async function one(n: ReturnType<typeof js>, input?: unknown): Promise<RunResult['nodes'][string]> {
  const nodes = input === undefined ? [n] : [js('src', `result = ${JSON.stringify(input)}`), n];
  const wf = workflow(nodes, input === undefined ? [] : [`src.result->${n.id}.input`]);
  const r = await runWorkflow(wf, db, { mode: 'apply', trustCode: true });
  return r.nodes[n.id]!;
}

describe('PythonCodeNode', () => {
  it('inputs are variables and result is the output; prints do not disturb it', async () => {
    const r = await one(
      py('p', 'print("noise")\nresult = {"sum": sum(input["values"]), "name": input["name"].upper()}'),
      { values: [1, 2, 3], name: 'ab' },
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs.result).toEqual({ sum: 6, name: 'AB' });
  });

  it('an exception fails the node with the traceback from stderr', async () => {
    const r = await one(py('p', 'def f():\n    raise ValueError("bad value")\nf()'));
    expect(r.status).toBe('failed');
    expect(r.error!.field).toBe('code');
    expect(r.error!.message).toMatch(/ValueError: bad value/);
    expect(r.error!.message).toMatch(/Traceback/);
  });

  it('is killed at its own timeout, not the default one', async () => {
    // The loop never ends by itself: the node ends only because its child was killed. It ran at
    // least its 500 ms, and was killed well before the default timeout (10 s) would have struck.
    const t0 = Date.now();
    const r = await one(py('p', 'while True:\n    pass', 500));
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ field: 'timeout' });
    expect(r.error!.message).toMatch(/longer than its timeout of 500 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('fails clearly, in plan mode too, without python3 on PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-python-'));
    try {
      const r = await runWorkflow(workflow([py('p', 'result = 1')]), db, { mode: 'plan' });
      expect(r.nodes.p!.status).toBe('failed');
      expect(r.nodes.p!.error!.message).toMatch(/python3 was not found on PATH/);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('CodeNode (JavaScript)', () => {
  it('inputs are variables and result is the output, also when declared with const', async () => {
    expect((await one(js('j', 'const result = { n: input.n * 2 }'), { n: 21 })).outputs.result).toEqual({ n: 42 });
    const missing = await one(js('j', 'const x = 1'));
    expect(missing.outputs.result).toBeNull();
    expect(missing.warnings[0]).toMatch(/did not assign `result`/);
  });

  it('has no require, process, timers or network globals', async () => {
    const r = await one(
      js(
        'j',
        'result = [typeof require, typeof process, typeof setTimeout, typeof fetch, typeof WebSocket, typeof module]',
      ),
    );
    expect(r.outputs.result).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('cannot escape to the host through constructors, eval or dynamic import', async () => {
    const escape = await one(js('j', 'result = this.constructor.constructor("return process")().env'));
    expect(escape.status).toBe('failed');
    expect(escape.error!.message).toMatch(/Code generation from strings disallowed/);
    expect((await one(js('j', 'result = eval("1 + 1")'))).status).toBe('failed');
    const imp = await one(js('j', 'result = import("node:fs")'));
    expect(imp.status).toBe('failed');
  });

  it('cannot read files or reach the network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-'));
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    let connections = 0;
    const server: Server = createServer((s) => {
      connections++;
      s.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const attempts = [
        `result = require("fs").readFileSync(${JSON.stringify(join(dir, 'secret.txt'))}, "utf8")`,
        `result = process.binding("fs")`,
        `result = fetch("http://127.0.0.1:${port}/")`,
        `const f = Function; result = f("return process")().getBuiltinModule("net").connect(${port})`,
      ];
      for (const code of attempts) {
        const r = await one(js('j', code));
        expect(r.status, code).toBe('failed');
        expect(JSON.stringify(r.outputs)).not.toMatch(/top secret/);
      }
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('is stopped at its timeout', async () => {
    const r = await one(js('j', 'while (true) {}', 300));
    expect(r.status).toBe('failed');
    expect(r.error!.message).toMatch(/timed out|timeout/);
  });
});
