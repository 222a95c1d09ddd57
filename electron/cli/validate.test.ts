import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataflow, example } from '../../test/dataflow-cli.ts';

const EXAMPLE = example('complex-rename-column');

const dir = mkdtempSync(join(tmpdir(), 'dataflow-validate-'));

/** The example workflow with one change, written to a file. */
function variant(
  name: string,
  change: (wf: {
    nodes: { id: string; type: string; params: Record<string, unknown> }[];
    connections: Record<string, string>[];
  }) => void,
): string {
  const wf = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  change(wf);
  const path = join(dir, `${name}.dataflow.json`);
  writeFileSync(path, JSON.stringify(wf));
  return path;
}

describe.concurrent('dataflow validate', () => {
  it('accepts a valid workflow and prints its run order', async () => {
    const r = await dataflow('validate', EXAMPLE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('run order: add_new_column -> copy_data -> drop_old_column');
  });

  it('rejects a workflow with exit 2, naming the node and field of every problem', async () => {
    const file = variant('problems', (wf) => {
      wf.nodes[0]!.params.colum_type = 'text';
      wf.nodes[0]!.params.nullable = 'yes';
      wf.nodes[1]!.type = 'DataCopyNode';
      delete wf.nodes[2]!.params.column_name;
      wf.connections[0]!.target = 'copy';
    });
    const r = await dataflow('validate', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: node "add_new_column"(, field "colum_type")?: unknown param\(s\) "colum_type" for SchemaModificationNode$/m,
    );
    expect(r.stderr).toMatch(/^error: node "add_new_column", field "nullable" \(Nullable\): /m);
    expect(r.stderr).toMatch(/^error: node "copy_data", field "type": unknown node type "DataCopyNode"$/m);
    expect(r.stderr).toMatch(/^error: node "drop_old_column", field "column_name" \(Column\): is required/m);
    expect(r.stderr).toMatch(
      /^error: node "copy", field "connections\[0\]\.target": connection to node "copy", which does not exist$/m,
    );
  });

  const cases: [string, () => string, RegExp][] = [
    ['a missing file', () => join(dir, 'nope.dataflow.json'), /cannot read workflow file .*no such file/],
    [
      'invalid JSON',
      () => (writeFileSync(join(dir, 'bad.json'), '{"format":'), join(dir, 'bad.json')),
      /not valid JSON/,
    ],
    [
      'a cycle',
      () =>
        variant('cycle', (wf) =>
          wf.connections.push({
            source: 'drop_old_column',
            sourceOutput: 'result',
            target: 'add_new_column',
            targetInput: 'input',
          }),
        ),
      /cycle through .*add_new_column/,
    ],
  ];
  it.each(cases)('rejects %s with exit 2', async (_name, file, message) => {
    const r = await dataflow('validate', file());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a name written with a leading ":" naming node, field, its form label and the fix', async () => {
    const file = variant('colon-names', (wf) => {
      wf.nodes[0]!.params.column_name = ':email; DROP TABLE users';
      wf.nodes[1]!.params.field_mapping = { email: ':email_address' };
      wf.nodes[2]!.params = { table: 'users', operation: 'create_index', columns: [':email'] };
    });
    const r = await dataflow('validate', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: node "add_new_column", field "column_name": Column is ":email; DROP TABLE users": a value starting with ":" reads from the node\'s input, but "email; DROP TABLE users" is not an input name (a letter or _, then letters, digits, _ or .); write the name itself, without ":" (a letter or _, then letters, digits, _ or $), or ":name" to read the name from the input',
      'error: node "copy_data", field "field_mapping.email": Field mapping holds ":email_address": a value starting with ":" reads from the node\'s input only as a whole param, never inside Field mapping; write the name itself, without ":" (a letter or _, then letters, digits, _ or $)',
      'error: node "drop_old_column", field "columns.0": Columns holds ":email": a value starting with ":" reads from the node\'s input only as a whole param, never inside Columns; write the name itself, without ":" (a letter or _, then letters, digits, _ or $)',
    ]);
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await dataflow('validate')).code).toBe(2);
    expect((await dataflow('validate', EXAMPLE, '--nope')).stderr).toMatch(/Unknown option '--nope'/);
    expect((await dataflow('frobnicate')).stderr).toMatch(/unknown command "frobnicate"/);
    const help = await dataflow('plan', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: dataflow plan <workflow> --db <conn>/);
  });
});
