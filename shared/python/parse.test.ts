/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import guide from '../../assets/guide/schema-management.md?raw';
import { pythonBlocks } from './guide-blocks.ts';
import { importPython, type ImportProblem } from './parse.ts';
import { exportPython } from './export.ts';
import { tableNameFor } from './model-class.ts';
import { validateWorkflow } from '../workflow.ts';

/** The value of one param written as Python source. */
function value(python: string): unknown {
  const r = importPython(`workflow.add_node("PythonCodeNode", "n", {"v": ${python}})\n`, { validate: false });
  expect(r.problems).toEqual([]);
  return r.workflow.nodes[0]?.params.v;
}

const blocks = pythonBlocks(guide).map((b) => b.code);
const errors = (problems: ImportProblem[]) => problems.filter((p) => p.severity === 'error');

describe('Python literals', () => {
  it('reads strings in every quote form, with escapes', () => {
    expect(value(`'single'`)).toBe('single');
    expect(value(`"double"`)).toBe('double');
    expect(value(`'''tri\nple'''`)).toBe('tri\nple');
    expect(value(`"""say "hi" ""\\""""`)).toBe('say "hi" """');
    expect(value(`"a\\nb\\tc\\\\d\\'e\\"f"`)).toBe('a\nb\tc\\d\'e"f');
    expect(value(`"\\x41\\101\\u00e9\\U0001F600\\0"`)).toBe('AAé😀\0');
    expect(value(`"keep \\d unknown escapes"`)).toBe('keep \\d unknown escapes');
    expect(value(`r"\\d+\\n"`)).toBe('\\d+\\n');
    expect(value(`u"unicode prefix ü"`)).toBe('unicode prefix ü');
    expect(value(`"line \\\ncontinued"`)).toBe('line continued');
    expect(value(`"""\\\nfirst\r\nsecond"""`)).toBe('first\nsecond');
  });

  it('concatenates adjacent strings, across lines and comments', () => {
    expect(value(`"a" 'b' """c"""`)).toBe('abc');
    expect(value(`(\n    "SELECT 1 "  # first part\n    r"\\d"\n)`)).toBe('SELECT 1 \\d');
  });

  it('reads numbers, booleans and None', () => {
    expect(value('42')).toBe(42);
    expect(value('-7')).toBe(-7);
    expect(value('+3')).toBe(3);
    expect(value('1_000_000')).toBe(1000000);
    expect(value('0x1F')).toBe(31);
    expect(value('0o17')).toBe(15);
    expect(value('0b101')).toBe(5);
    expect(value('2.5')).toBe(2.5);
    expect(value('-1.5e-3')).toBe(-0.0015);
    expect(value('.5')).toBe(0.5);
    expect(Object.is(value('-0.0'), -0)).toBe(true);
    expect(value('True')).toBe(true);
    expect(value('False')).toBe(false);
    expect(value('None')).toBe(null);
  });

  it('reads an int beyond 2^53 exactly, as a BigInt, and writes it back with the same digits', () => {
    expect(value('9007199254740993')).toBe(9007199254740993n);
    expect(value('-9_223_372_036_854_775_808')).toBe(-9223372036854775808n);
    expect(value('0xFFFFFFFFFFFFFFFF')).toBe(18446744073709551615n);
    expect(value('9007199254740991')).toBe(9007199254740991);
    const source = `workflow.add_node("SchemaModificationNode", "add", {"table": "t", "operation": "add_column", "column_name": "b", "column_type": "bigint", "default_value": 10000000000000001})\n`;
    const imported = importPython(source);
    expect(imported.problems).toEqual([]);
    expect(imported.workflow.nodes[0]!.params.default_value).toBe(10000000000000001n);
    const again = importPython(exportPython(imported.workflow));
    expect(again.workflow.nodes[0]!.params.default_value).toBe(10000000000000001n);
    expect(exportPython(imported.workflow)).toContain('"default_value": 10000000000000001,');
  });

  it('reads nested dicts, lists and tuples (as lists), with trailing commas and comments', () => {
    const v = value(`{
        "a": [1, 2, (3, 4,),],  # trailing commas
        # a comment line
        'b': {"c": None, "d": ("only",)},
        "e": (),
        "f": ("parenthesized"),
    }`);
    expect(v).toEqual({ a: [1, 2, [3, 4]], b: { c: null, d: ['only'] }, e: [], f: 'parenthesized' });
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const v = value(`{"__proto__": 1}`) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
  });

  it('reports values that are not literals, at their line, and leaves them out', () => {
    const src =
      'workflow.add_node("PythonCodeNode", "n", {\n    "code": "x",\n    "a": foo(),\n    "b": f"{x}",\n    "c": {1, 2},\n    "d": b"bytes",\n    "e": 1 + 2,\n    **extra,\n    1: "int key",\n})\n';
    const r = importPython(src, { validate: false });
    expect(r.workflow.nodes[0]?.params).toEqual({ code: 'x' });
    const lines = errors(r.problems).map((p) => [p.line, p.message]);
    expect(lines).toEqual([
      [3, expect.stringMatching(/field "a": foo\(\) is not a literal/)],
      [4, expect.stringMatching(/field "b": x is not a constant assigned above/)],
      [5, expect.stringMatching(/field "c": is a set/)],
      [6, expect.stringMatching(/field "d": is a bytes literal/)],
      [7, expect.stringMatching(/field "e": 1 \+ 2 is not a literal/)],
      [8, expect.stringMatching(/^node "n": extra is not a constant assigned above/)],
      [9, 'node "n": key 1 must be a string'],
    ]);
  });

  it('reports a key written twice', () => {
    const r = importPython('workflow.add_node("PythonCodeNode", "n", {"code": "a", "code": "b"})\n');
    expect(r.workflow.nodes[0]?.params).toEqual({ code: 'b' });
    expect(errors(r.problems).map((p) => p.message)).toEqual([expect.stringContaining('key "code" appears twice')]);
  });
});

describe('importPython: statements', () => {
  const GUIDE = `from kailash.workflow.builder import WorkflowBuilder
from kailash.runtime.local import LocalRuntime

workflow = WorkflowBuilder()
workflow.add_node("MigrationNode", "track", {"migration_name": "m1", "status": "pending"})
workflow.add_node("SchemaModificationNode", "add", {
    "table": "users", "operation": "add_column", "column_name": "phone", "column_type": "varchar(20)",
})
workflow.add_node("MigrationNode", "done", {"migration_name": "m1", "status": "completed"})
workflow.add_connection("track", "result", "add", "input")
workflow.add_connection("add", "result", "done", "input")

runtime = LocalRuntime()
results, run_id = runtime.execute(workflow.build())
`;

  it('reads a complete script into nodes, params, connections and a layered layout', () => {
    const r = importPython(GUIDE, { name: 'phone' });
    expect(r.problems).toEqual([]);
    expect(r.workflow.name).toBe('phone');
    expect(r.workflow.nodes.map((n) => [n.id, n.type, n.position])).toEqual([
      ['track', 'MigrationNode', { x: 0, y: 0 }],
      ['add', 'SchemaModificationNode', { x: 300, y: 0 }],
      ['done', 'MigrationNode', { x: 600, y: 0 }],
    ]);
    expect(r.workflow.nodes[1]?.params).toEqual({
      table: 'users',
      operation: 'add_column',
      column_name: 'phone',
      column_type: 'varchar(20)',
    });
    expect(r.workflow.connections).toEqual([
      { source: 'track', sourceOutput: 'result', target: 'add', targetInput: 'input' },
      { source: 'add', sourceOutput: 'result', target: 'done', targetInput: 'input' },
    ]);
  });

  it('lays out branches: x by depth, y by index within the layer', () => {
    const r = importPython(`workflow.add_node("MigrationNode", "a", {"migration_name": "m", "action": "check_status"})
workflow.add_node("SwitchNode", "s", {"input": ":migration_status", "cases": {"pending": "b", "completed": "c"}})
workflow.add_node("PythonCodeNode", "b", {"code": "result = 1"})
workflow.add_node("PythonCodeNode", "c", {"code": "result = 2"})
workflow.add_connection("a", "result", "s", "input")
`);
    expect(r.problems).toEqual([]);
    expect(Object.fromEntries(r.workflow.nodes.map((n) => [n.id, n.position]))).toEqual({
      a: { x: 0, y: 0 },
      s: { x: 300, y: 0 },
      b: { x: 600, y: 0 },
      c: { x: 600, y: 160 },
    });
  });

  it('accepts keyword arguments, other variable names and a __main__ guard', () => {
    const r = importPython(`wf = WorkflowBuilder()
wf.add_node(node_type="PythonCodeNode", node_id="a", config={"code": "result = 1"})
wf.add_node("PythonCodeNode", "b", {"code": "result = 2"}); wf.add_connection(from_node="a", from_output="result", to_node="b", to_input="input")
if __name__ == "__main__":
    rt = LocalRuntime()
    results, run_id = rt.execute(wf.build())
`);
    expect(r.problems).toEqual([]);
    expect(r.workflow.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(r.workflow.connections).toHaveLength(1);
  });

  it('treats workflow used without WorkflowBuilder() as created first', () => {
    const r = importPython('workflow.add_node("PythonCodeNode", "a", {"code": "result = 1"})\n');
    expect(r.problems).toEqual([]);
    expect(r.workflow.nodes).toHaveLength(1);
  });

  it('reports code between calls as an unsupported statement with its line', () => {
    const r = importPython(`workflow = WorkflowBuilder()
if x:
    pass
for t in tables: workflow.add_node("PythonCodeNode", t, {})
params = make_params()
print("hello")
wf2.add_node("PythonCodeNode", "a", {"code": "x"})
workflow.remove_node("a")
`);
    expect(errors(r.problems).map((p) => [p.line, p.kind])).toEqual([
      [2, 'statement'],
      [4, 'statement'],
      [5, 'statement'],
      [6, 'statement'],
      [7, 'statement'],
      [8, 'statement'],
    ]);
    expect(r.problems[0]?.message).toMatch(/unsupported statement "if x: pass"/);
    expect(r.problems[5]?.message).toMatch(/workflow.remove_node\(\) is not a WorkflowBuilder call/);
  });

  it('reports a non-literal param with its line (strict: error; lenient: warning, param left out)', () => {
    const src = 'workflow.add_node("PythonCodeNode", "n", {\n    "code": "x",\n    "a": foo(),\n})\n';
    const strict = importPython(src, { validate: false });
    expect(strict.problems.map((p) => [p.severity, p.line, p.column])).toEqual([['error', 3, 10]]);
    const lenient = importPython(src, { lenient: true, validate: false });
    expect(lenient.problems.map((p) => [p.severity, p.line])).toEqual([['warning', 3]]);
    expect(lenient.workflow.nodes[0]?.params).toEqual({ code: 'x' });
  });

  it('reports unclosed brackets with the line they open on, never throwing', () => {
    const r = importPython(
      'workflow = WorkflowBuilder()\nworkflow.add_node("PythonCodeNode", "n", {\n    "code": "x",\n',
    );
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.kind === 'syntax' && p.severity === 'error')).toBe(true);
    expect(r.problems.map((p) => [p.line, p.column])).toContainEqual([2, 18]);
    expect(r.problems.find((p) => p.line === 2)?.message).toMatch(/"\(" opened at line 2, column 18 is never closed/);
    expect(r.workflow.nodes).toEqual([]);
  });

  it('reports other malformed Python with a line', () => {
    for (const src of [
      'workflow.add_node("A", "b", {"x": })\n',
      'workflow.add_node("PythonCodeNode", "n", {"code": "x)\n',
      ')\n',
      'def f(:\n  pass\n',
      '"""never closed\n',
    ]) {
      const r = importPython(src);
      expect(
        r.problems.some((p) => p.kind === 'syntax' && p.line >= 1 && p.column >= 1),
        src,
      ).toBe(true);
    }
  });

  it('keeps the statements around a syntax error', () => {
    const r = importPython(
      'workflow.add_node("PythonCodeNode", "a", {"code": "x"})\nworkflow.add_node("PythonCodeNode", "b", {"code": })\nworkflow.add_node("PythonCodeNode", "c", {"code": "z"})\n',
      { lenient: true },
    );
    expect(r.workflow.nodes.map((n) => n.id)).toEqual(['a', 'c']);
    expect(r.problems.filter((p) => p.kind === 'syntax').map((p) => p.line)).toEqual([2]);
  });

  it('reports a bad escape in a string', () => {
    const r = importPython('workflow.add_node("PythonCodeNode", "n", {"code": "x", "t": "\\x4"})\n');
    expect(r.workflow.nodes[0]?.params).toEqual({ code: 'x' });
    expect(errors(r.problems).map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 61, 'node "n", field "t": has a bad escape \\x4: it needs 2 hex digits'],
    ]);
  });

  it('never throws on guide blocks cut, spliced or garbled anywhere (property)', () => {
    const junk = fc.string({
      unit: fc.constantFrom(
        '(',
        ')',
        '{',
        '}',
        '[',
        ']',
        '"',
        "'",
        '"""',
        ',',
        ':',
        '\n',
        '    ',
        '\\',
        '#',
        '@',
        '...',
        'x',
        '1',
      ),
      minLength: 1,
    });
    fc.assert(
      fc.property(fc.constantFrom(...blocks), fc.nat(), fc.nat(), junk, (code, a, b, text) => {
        const [from, to] = [a % (code.length + 1), b % (code.length + 1)].sort((x, y) => x - y) as [number, number];
        const source = code.slice(0, from) + text + code.slice(to);
        const r = importPython(source);
        for (const p of r.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeGreaterThanOrEqual(1);
        }
        const lines = source.split('\n').length;
        expect(r.problems.every((p) => p.line <= lines)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on arbitrary input', () => {
    for (const src of [
      '',
      '\n\n',
      '{',
      '@',
      'class',
      '\\',
      '\0',
      'workflow.add_node(',
      'workflow.add_connection("a"',
      '"""',
      "'",
      'x = [',
      'add_node("A")'.repeat(50),
    ]) {
      expect(() => importPython(src)).not.toThrow();
    }
  });
});

describe('importPython: nodes and connections', () => {
  it('reports unknown node types; lenient drops the node and the connections to it', () => {
    const src = `workflow.add_node("FancyNode", "f", {})
workflow.add_node("PythonCodeNode", "p", {"code": "result = 1"})
workflow.add_connection("p", "result", "f", "input")
`;
    const strict = importPython(src);
    expect(errors(strict.problems).map((p) => [p.line, p.kind])).toEqual([
      [1, 'node'],
      [3, 'connection'],
    ]);
    expect(strict.problems[0]?.message).toMatch(
      /unknown node type "FancyNode"; the node types are SchemaModificationNode, /,
    );
    const lenient = importPython(src, { lenient: true });
    expect(lenient.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(lenient.workflow.nodes.map((n) => n.id)).toEqual(['p']);
    expect(lenient.workflow.connections).toEqual([]);
    expect(lenient.problems[1]?.message).toMatch(/"f" \(not imported, see line 1\)/);
  });

  it('reports duplicate ids and bad ids', () => {
    const r = importPython(`workflow.add_node("PythonCodeNode", "a", {"code": "1"})
workflow.add_node("PythonCodeNode", "a", {"code": "2"})
workflow.add_node("PythonCodeNode", "has space", {"code": "3"})
workflow.add_node("PythonCodeNode", 42, {"code": "4"})
`);
    expect(errors(r.problems).map((p) => [p.line, p.message])).toEqual([
      [2, 'duplicate node id "a" (first added at line 1); give each node its own id'],
      [3, 'node id "has space" must be a letter or _, then letters, digits, _ or - (at most 100)'],
      [4, 'add_node: the node id (second argument) must be a string literal, not 42'],
    ]);
    expect(r.workflow.nodes.map((n) => n.params.code)).toEqual(['1']);
  });

  it('checks add_connection: four arguments, nodes that exist, no self-loops, duplicates or cycles', () => {
    const r = importPython(
      `workflow.add_node("PythonCodeNode", "a", {"code": "1"})
workflow.add_node("PythonCodeNode", "b", {"code": "2"})
workflow.add_connection("a", "result", "b")
workflow.add_connection("a", "result", "b", "input")
workflow.add_connection("a", "result", "b", "input")
workflow.add_connection("a", "result", "a", "input")
workflow.add_connection("b", "result", "a", "input")
workflow.add_connection("a", "result", "missing", "input")
workflow.add_connection("a", "bad path!", "b", "input")
`,
      { lenient: true },
    );
    expect(r.workflow.connections).toEqual([
      { source: 'a', sourceOutput: 'result', target: 'b', targetInput: 'input' },
    ]);
    expect(
      r.problems.map((p) => [
        p.line,
        p.message.replace(/^.*?(exactly four|duplicate|itself|cycle|"missing"|must be).*$/s, '$1'),
      ]),
    ).toEqual([
      [3, 'exactly four'],
      [5, 'duplicate'],
      [6, 'itself'],
      [7, 'cycle'],
      [8, '"missing"'],
      [9, 'must be'],
    ]);
  });

  it('validates params with validateParams at the field line, and skips that with validate: false', () => {
    const src = `workflow.add_node("SchemaModificationNode", "s", {
    "table": "users",
    "operation": "add_column",
    "column_name": "bad name",
})
`;
    const r = importPython(src);
    expect(errors(r.problems).map((p) => [p.line, p.message])).toEqual([
      [1, 'node "s", field "column_type" (Type): is required for operation add_column'],
      [4, expect.stringMatching(/^node "s", field "column_name" \(Column\): must be an identifier/)],
    ]);
    expect(importPython(src, { validate: false }).problems).toEqual([]);
  });

  it('reports Switch cases that name missing nodes at the case line', () => {
    const r = importPython(`workflow.add_node("SwitchNode", "s", {
    "input": "x",
    "cases": {
        "a": "nowhere",
    },
})
`);
    expect(errors(r.problems).map((p) => [p.line, p.message])).toEqual([
      [4, 'node "s", field "cases.a" (Cases): routes to node "nowhere", which does not exist'],
    ]);
  });

  it('reports a {...} placeholder; lenient leaves the node out, so that the file validates', () => {
    const src = 'workflow.add_node("SchemaModificationNode", "modify", {...})\n';
    const strict = importPython(src);
    expect(strict.problems.map((p) => [p.severity, p.line, p.column, p.kind])).toEqual([['error', 1, 55, 'params']]);
    expect(strict.problems[0]?.message).toMatch(
      /the params are a placeholder \{\.\.\.\}; write the SchemaModificationNode params out/,
    );
    const r = importPython(src, { lenient: true });
    expect(r.workflow.nodes).toEqual([]);
    expect(r.problems.map((p) => [p.severity, p.line, p.kind])).toEqual([
      ['warning', 1, 'node'],
      ['warning', 1, 'params'],
    ]);
    expect(r.problems[0]?.message).toMatch(
      /^node "modify" is left out, so that the workflow validates; fix the problem reported for it and import again$/,
    );
  });

  it('lenient leaves out nodes whose params do not validate or read an unfed reference, and their connections', () => {
    const src = `workflow.add_node("PythonCodeNode", "a", {"code": "result = 1"})
workflow.add_node("SchemaModificationNode", "bad", {"table": "t", "operation": "add_column", "column_name": "c"})
workflow.add_node("SwitchNode", "s", {"input": ":x", "cases": {"1": "a"}})
workflow.add_node("PythonCodeNode", "after", {"code": "result = 2"})
workflow.add_connection("bad", "result", "after", "input")
`;
    const r = importPython(src, { lenient: true });
    expect(r.workflow.nodes.map((n) => n.id)).toEqual(['a', 'after']);
    expect(r.workflow.connections).toEqual([]);
    expect(r.problems.filter((p) => p.kind === 'node').map((p) => [p.line, p.node])).toEqual([
      [2, 'bad'],
      [3, 's'],
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(validateWorkflow(r.workflow)).toEqual([]);
  });
});

describe('importPython: module-level constants', () => {
  it('reads names bound to literals, names of names, f-strings of constants and dict merges', () => {
    const r = importPython(`TABLE = "users"
COLUMN: str = f"{TABLE}_tier"
SIZE = 20
BASE = {"table": TABLE, "operation": "add_column"}
params = {**BASE, "column_name": COLUMN, "column_type": f"varchar({SIZE})", "nullable": True}
other = BASE | {"column_name": "b", "column_type": "text", "default_value": None}
workflow.add_node("SchemaModificationNode", "a1", params)
workflow.add_node("SchemaModificationNode", "a2", other)
workflow.add_node("MigrationNode", "m", {"migration_name": f"add_{COLUMN}", "status": "pending", "metadata": {"breaking_change": None}})
workflow.add_connection("a1", "result", "a2", "input")
workflow.add_connection("a2", "result", "m", "input")
`);
    expect(r.problems).toEqual([]);
    expect(r.workflow.nodes.map((n) => n.params)).toEqual([
      {
        table: 'users',
        operation: 'add_column',
        column_name: 'users_tier',
        column_type: 'varchar(20)',
        nullable: true,
      },
      { table: 'users', operation: 'add_column', column_name: 'b', column_type: 'text', default_value: null },
      { migration_name: 'add_users_tier', status: 'pending', metadata: { breaking_change: null } },
    ]);
  });

  it("copies a constant: a node cannot change another node's params through it", () => {
    const r = importPython(
      `P = {"code": "result = 1", "tags": ["x"]}
workflow.add_node("PythonCodeNode", "a", P)
workflow.add_node("PythonCodeNode", "b", P)
`,
      { validate: false },
    );
    const [a, b] = r.workflow.nodes;
    expect(a!.params).toEqual(b!.params);
    expect(a!.params.tags).not.toBe(b!.params.tags);
  });

  it('reports what is not constant at its line and column, and a name used before it is assigned', () => {
    const r = importPython(`T = get_table()
X = f"{T!r}"
workflow.add_node("SchemaModificationNode", "a", {"table": LATER, "operation": "drop_table"})
LATER = "users"
workflow.add_node("PythonCodeNode", "b", params)
`);
    expect(errors(r.problems).map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 1, expect.stringMatching(/^unsupported statement "T = get_table\(\)"/)],
      [2, 7, expect.stringMatching(/^X: \{T!r\}: an f-string field here is a constant name, without conversion/)],
      [3, 60, expect.stringMatching(/^node "a", field "table": LATER is not a constant assigned above/)],
      [5, 42, expect.stringMatching(/^node "b": params is not a constant assigned above/)],
    ]);
  });
});

describe('importPython: @db.model classes', () => {
  it('names tables in snake_case plural', () => {
    expect(['User', 'OrderItem', 'Category', 'Address', 'Box', 'Day', 'HTTPLog'].map(tableNameFor)).toEqual([
      'users',
      'order_items',
      'categories',
      'addresses',
      'boxes',
      'days',
      'http_logs',
    ]);
  });

  it('maps annotations, Optional, defaults and the implicit columns', () => {
    const r = importPython(`from typing import Optional, List
from datetime import datetime
from dataflow import DataFlow

db = DataFlow()

@db.model
class OrderItem:
    """One line of an order."""
    sku: str
    quantity: int = 1
    gift: bool = False
    price: float
    shipped_at: Optional[datetime] = None
    note: str | None
    attrs: dict = {"a": 1}
    tags: List[str]
    legacy: typing.Optional[int]
`);
    expect(r.problems).toEqual([]);
    expect(r.models).toHaveLength(1);
    const m = r.models[0]!;
    expect([m.name, m.table, m.line]).toEqual(['OrderItem', 'order_items', 7]);
    expect(m.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false, primaryKey: true, identity: true, implicit: true },
      { name: 'sku', type: 'text', nullable: false, primaryKey: false, implicit: false },
      { name: 'quantity', type: 'integer', nullable: false, default: 1, primaryKey: false, implicit: false },
      { name: 'gift', type: 'boolean', nullable: false, default: false, primaryKey: false, implicit: false },
      { name: 'price', type: 'real', nullable: false, primaryKey: false, implicit: false },
      { name: 'shipped_at', type: 'timestamp', nullable: true, primaryKey: false, implicit: false },
      { name: 'note', type: 'text', nullable: true, primaryKey: false, implicit: false },
      { name: 'attrs', type: 'jsonb', nullable: false, default: '{"a":1}', primaryKey: false, implicit: false },
      { name: 'tags', type: 'jsonb', nullable: false, primaryKey: false, implicit: false },
      { name: 'legacy', type: 'integer', nullable: true, primaryKey: false, implicit: false },
      {
        name: 'created_at',
        type: 'timestamp',
        nullable: false,
        default: { sql: 'CURRENT_TIMESTAMP' },
        primaryKey: false,
        implicit: true,
      },
      {
        name: 'updated_at',
        type: 'timestamp',
        nullable: false,
        default: { sql: 'CURRENT_TIMESTAMP' },
        primaryKey: false,
        implicit: true,
      },
    ]);
  });

  it('lets a class redefined later replace the earlier one, and honours __tablename__', () => {
    const r = importPython(`@db.model
class User:
    name: str

@db.model
class User:
    name: str
    email: str

@db.model
class Person:
    __tablename__ = "people_v2"
    name: str
`);
    expect(r.problems).toEqual([]);
    expect(r.models.map((m) => [m.name, m.table, m.columns.map((c) => c.name).join(',')])).toEqual([
      ['User', 'users', 'id,name,email,created_at,updated_at'],
      ['Person', 'people_v2', 'id,name,created_at,updated_at'],
    ]);
  });

  it('reports fields it cannot map, at their line, and ignores methods with a warning', () => {
    const r = importPython(`@db.model
class User:
    name: str
    blob: SomeType
    when: datetime = now()
    id: int

    def greet(self):
        return "hi"
`);
    expect(r.problems.map((p) => [p.line, p.severity, p.model])).toEqual([
      [4, 'error', 'User'],
      [5, 'error', 'User'],
      [6, 'warning', 'User'],
      [8, 'warning', 'User'],
    ]);
    expect(r.problems[0]?.message).toMatch(/field "blob": type SomeType has no column type/);
    expect(r.problems[1]?.message).toMatch(/field "when": the default now\(\) is not a literal/);
    expect(r.models[0]?.columns.map((c) => c.name)).toEqual(['id', 'name', 'when', 'created_at', 'updated_at']);
  });

  it('reports other decorators and undecorated classes as unsupported', () => {
    const r = importPython('@dataclass\nclass A:\n    x: int\n\nclass B:\n    y: int\n');
    expect(errors(r.problems).map((p) => [p.line, p.kind])).toEqual([
      [1, 'statement'],
      [5, 'statement'],
    ]);
    expect(r.models).toEqual([]);
  });
});
