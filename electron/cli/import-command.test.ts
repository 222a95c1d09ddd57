import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../shared/workflow.ts';
import { exportCommand } from './export-command.ts';
import { importCommand, type CommandIo } from './import-command.ts';

async function call(command: (argv: string[], io: CommandIo) => Promise<number>, argv: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await command(argv, { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const PATTERN = `workflow = WorkflowBuilder()
workflow.add_node("MigrationNode", "track", {"migration_name": "m", "status": "pending"})
workflow.add_node("SchemaModificationNode", "add", {"table": "users", "operation": "add_column", "column_name": "x", "column_type": "text"})
workflow.add_connection("source", "result", "target", "input")
workflow.add_connection("track", "result", "add", "input")
`;

describe('dataflow import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-import-'));

  it('exits 1 on errors, printing file:line:column, and writes nothing', async () => {
    const file = join(dir, 'pattern.py');
    writeFileSync(file, PATTERN);
    const r = await call(importCommand, [file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:1: error: workflow.add_connection\\("source", "result", "target", "input"\\) names nodes "source" and "target"`,
        'm',
      ),
    );
    expect(r.stderr).toContain('nothing written');
  });

  it('--lenient keeps what it can, with warnings, and writes the workflow with -o', async () => {
    const file = join(dir, 'pattern.py');
    const out = join(dir, 'pattern.dataflow.json');
    writeFileSync(file, PATTERN);
    const r = await call(importCommand, [file, '--lenient', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/:4:1: warning: .*the connection is left out/);
    expect(r.stderr).toContain(`wrote ${out} (2 nodes, 1 connections)`);
    const { workflow } = parseWorkflow(readFileSync(out, 'utf8'));
    expect(workflow.name).toBe('pattern');
    expect(workflow.connections).toEqual([
      { source: 'track', sourceOutput: 'result', target: 'add', targetInput: 'input' },
    ]);
  });

  it('reads standard input with "-" and reports malformed Python by line', async () => {
    const ok = await call(importCommand, ['-'], 'workflow.add_node("PythonCodeNode", "p", {"code": "result = 1"})\n');
    expect(ok.code).toBe(0);
    expect(parseWorkflow(ok.stdout).workflow.nodes.map((n) => n.id)).toEqual(['p']);
    const bad = await call(importCommand, ['-'], 'workflow.add_node("PythonCodeNode", "p", {\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^<stdin>:1:18: error: "\(" opened at line 1, column 18 is never closed/m);
  });

  it('rejects a missing file and unknown flags with exit 2', async () => {
    expect(await call(importCommand, [join(dir, 'nope.py')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such file'),
    });
    expect(await call(importCommand, ['--bogus', 'x.py'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('dataflow import --help'),
    });
    expect(await call(importCommand, ['--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: dataflow import'),
    });
  });
});

describe('dataflow export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-export-'));

  it('writes Python that imports back to the same workflow', async () => {
    const file = join(dir, 'pattern.py');
    writeFileSync(file, PATTERN);
    const json = join(dir, 'w.dataflow.json');
    expect((await call(importCommand, [file, '--lenient', '-o', json])).code).toBe(0);
    const exported = await call(exportCommand, [json, '--to', 'python']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('workflow.add_connection("track", "result", "add", "input")\n');
    const back = await call(importCommand, ['-'], exported.stdout);
    expect(back.code, back.stderr).toBe(0);
    const original = parseWorkflow(readFileSync(json, 'utf8')).workflow;
    const again = parseWorkflow(back.stdout).workflow;
    expect(again.nodes.map(({ id, type, params }) => ({ id, type, params }))).toEqual(
      original.nodes.map(({ id, type, params }) => ({ id, type, params })),
    );
    expect(again.connections).toEqual(original.connections);
  });

  it('needs --to python and a valid workflow', async () => {
    const json = join(dir, 'bad.dataflow.json');
    writeFileSync(
      json,
      JSON.stringify({ format: 'dataflow-workflow', version: 1, nodes: [{ id: 'a', type: 'Nope' }] }),
    );
    expect(await call(exportCommand, [json])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--to python is required'),
    });
    expect(await call(exportCommand, [json, '--to', 'yaml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot export to "yaml"'),
    });
    expect(await call(exportCommand, [json, '--to', 'python'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown node type "Nope"'),
    });
  });
});
