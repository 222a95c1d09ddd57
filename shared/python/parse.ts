/**
 * Python import: reads the Kailash `WorkflowBuilder` Python of the guide into a workflow, and its
 * DataFlow `@db.model` classes into model definitions. A real parser (`@lezer/python`'s syntax
 * tree), pure TypeScript so the editor can use it too. It never throws: whatever it cannot read
 * is a problem with a line and column.
 *
 * Read: `from/import` lines, module-level constants (`TABLE = "users"`, `params = {...}`: literals,
 * names of earlier constants, f-strings of constants, dict merges), `workflow = WorkflowBuilder()`,
 * `workflow.add_node("Type", "id", {...})` with any such value as params, `workflow.add_connection(a, b, c, d)`, `runtime =
 * LocalRuntime()`, `runtime.execute(workflow.build())` (accepted, ignored), `db = DataFlow()` and
 * `@db.model` classes, and the same inside `if __name__ == "__main__":`. `workflow`, `runtime` and
 * `db` may be used without being created (guide snippets do).
 */
import { nodeDescription, NODE_TYPES } from '../nodes/index.ts';
import {
  connectionSchema,
  formatProblem,
  validateParams,
  validateWorkflow,
  WORKFLOW_FORMAT,
  WORKFLOW_VERSION,
  workflowNodeSchema,
  type Connection,
  type Workflow,
  type WorkflowNode,
  type WorkflowProblem,
} from '../workflow.ts';
import { layoutWorkflow } from './layout.ts';
import { literalReader, readLiteral, type LiteralReader, type PyValue } from './literal.ts';
import { readModelClass, type ModelDefinition } from './model-class.ts';
import {
  bracketItems,
  children,
  hasError,
  LineMap,
  parsePythonTree,
  snippet,
  syntaxProblems,
  type PyNode,
} from './syntax.ts';

/** What a problem is about: the editor and the CLI group and filter by it. */
export type ImportProblemKind = 'syntax' | 'statement' | 'node' | 'params' | 'connection' | 'workflow' | 'model';

export interface ImportProblem {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: 'error' | 'warning';
  message: string;
  kind: ImportProblemKind;
  /** The node id the problem is about, when it is about one. */
  node?: string;
  /** The model class the problem is about, when it is about one. */
  model?: string;
}

export interface ImportOptions {
  /**
   * Keep what can be kept: problems are warnings, and bad nodes and connections are dropped.
   * Default false: the same problems are errors (the same things are left out).
   */
  lenient?: boolean;
  /** Check each node's params (validateParams) and the workflow's structure. Default true. */
  validate?: boolean;
  /** Name of the workflow (the CLI passes the file name). Default "untitled". */
  name?: string;
}

export interface ImportResult {
  workflow: Workflow;
  models: ModelDefinition[];
  /** Sorted by position. */
  problems: ImportProblem[];
}

/** Imports Python source; never throws. */
export function importPython(source: string, options: ImportOptions = {}): ImportResult {
  return new Importer(source, options).run();
}

interface PendingNode {
  node: WorkflowNode;
  offset: number;
  paramOffsets: Map<string, number>;
  /** Top-level params left out because their value could not be read. */
  droppedParams: Set<string>;
  /** The params as a whole could not be read (a placeholder `{...}`, an unknown name): not validated. */
  unreadParams: boolean;
}

interface PendingConnection {
  connection: Connection;
  offset: number;
  text: string;
}

const SUPPORTED =
  'the importer reads imports, constants (NAME = literal), WorkflowBuilder()/LocalRuntime()/DataFlow() setup, workflow.add_node, workflow.add_connection, runtime.execute(workflow.build()) and @db.model classes';

class Importer {
  private readonly lines: LineMap;
  private readonly lenient: boolean;
  private readonly problems: ImportProblem[] = [];
  private readonly reader: LiteralReader;
  private readonly roles = { builder: new Set<string>(), runtime: new Set<string>(), dataflow: new Set<string>() };
  private readonly nodes: PendingNode[] = [];
  private readonly byId = new Map<string, PendingNode>();
  private readonly dropped = new Map<string, number>();
  private readonly connections: PendingConnection[] = [];
  private readonly models = new Map<string, ModelDefinition>();
  /** Module-level constants read so far (`TABLE = "users"`), usable in later statements. */
  private readonly constants = new Map<string, PyValue>();
  /** What `workflow.build(name=..., description=...)` gave. */
  private readonly titles: { name?: string; description?: string } = {};

  constructor(
    private readonly src: string,
    private readonly options: ImportOptions,
  ) {
    this.lines = new LineMap(src);
    this.lenient = options.lenient ?? false;
    this.reader = literalReader(src, this.constants);
  }

  run(): ImportResult {
    const tree = parsePythonTree(this.src);
    for (const p of syntaxProblems(tree, this.src, this.lines)) this.report(p.offset, 'syntax', p.message);
    this.statements(children(tree.topNode));
    const workflow = this.finish();
    this.problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { workflow, models: [...this.models.values()], problems: this.problems };
  }

  /** Records a problem; `fault` problems are errors unless lenient. */
  private report(
    offset: number,
    kind: ImportProblemKind,
    message: string,
    extra: { node?: string; model?: string; warning?: boolean } = {},
  ): void {
    const { line, column } = this.lines.at(offset);
    const severity = extra.warning || this.lenient ? 'warning' : 'error';
    const problem: ImportProblem = { line, column, severity, message, kind };
    if (extra.node !== undefined) problem.node = extra.node;
    if (extra.model !== undefined) problem.model = extra.model;
    this.problems.push(problem);
  }

  private text(node: PyNode): string {
    return this.src.slice(node.from, node.to);
  }

  private unsupported(stmt: PyNode, why = ''): void {
    const dropped = this.lenient ? ' It is ignored.' : '';
    this.report(
      stmt.from,
      'statement',
      `unsupported statement "${snippet(stmt, this.src)}"${why ? `: ${why}` : ''}; ${SUPPORTED}. Put other code in a PythonCodeNode.${dropped}`,
    );
  }

  private statements(stmts: PyNode[]): void {
    for (const stmt of stmts) {
      if (stmt.type.isError || hasError(stmt)) continue;
      switch (stmt.name) {
        case 'ImportStatement':
        case 'PassStatement':
          break;
        case 'StatementGroup':
          this.statements(children(stmt).filter((c) => c.name !== ';'));
          break;
        case 'ExpressionStatement':
          this.expressionStatement(stmt);
          break;
        case 'AssignStatement':
          this.assignment(stmt);
          break;
        case 'DecoratedStatement':
          this.decorated(stmt);
          break;
        case 'IfStatement':
          this.mainGuard(stmt);
          break;
        default:
          this.unsupported(stmt);
      }
    }
  }

  /** `if __name__ == "__main__":` — its body is read as top-level code. */
  private mainGuard(stmt: PyNode): void {
    const parts = children(stmt);
    const condition = parts[1];
    const body = parts[2];
    const guard = condition && /^__name__\s*==\s*(['"])__main__\1$/.test(this.text(condition));
    if (!guard || !body || parts.length !== 3) return this.unsupported(stmt);
    this.statements(children(body).filter((c) => c.name !== ':'));
  }

  private has(role: keyof Importer['roles'], name: string): boolean {
    const implicit = { builder: 'workflow', runtime: 'runtime', dataflow: 'db' }[role];
    return this.roles[role].has(name) || name === implicit;
  }

  /** `receiver.method(args)` with receiver a plain name, else null. */
  private methodCall(expr: PyNode): { receiver: string; method: string; args: PyNode; receiverNode: PyNode } | null {
    if (expr.name !== 'CallExpression') return null;
    const [callee, args] = children(expr);
    if (callee?.name !== 'MemberExpression' || args?.name !== 'ArgList') return null;
    const [receiverNode, dot, prop] = children(callee);
    if (!receiverNode || dot?.name !== '.' || prop?.name !== 'PropertyName') return null;
    return { receiver: this.text(receiverNode), method: this.text(prop), args, receiverNode };
  }

  /** `runtime.execute(workflow.build(...))`: reads the build's name and description. */
  private isRunCall(expr: PyNode): boolean {
    const call = this.methodCall(expr);
    if (!call || call.method !== 'execute') return false;
    const isRuntime =
      this.has('runtime', call.receiver) ||
      (call.receiverNode.name === 'CallExpression' && this.calleeName(call.receiverNode) === 'LocalRuntime');
    if (!isRuntime) return false;
    const built = bracketItems(call.args)[0];
    const inner = built?.length === 1 ? this.methodCall(built[0]!) : null;
    if (inner?.method === 'build' && this.has('builder', inner.receiver)) this.build(inner.args);
    return true;
  }

  /** `workflow.build(name=..., description=...)`: the workflow's name and description (constants). */
  private build(argList: PyNode): void {
    const args = this.callArgs(argList, ['workflow_id', 'name', 'description', 'version', 'author'], 'build');
    if (!args) return;
    for (const key of ['name', 'description'] as const) {
      const node = args.get(key);
      if (!node) continue;
      const value = this.stringArg(node, node, `build: ${key}`, 'workflow');
      if (value !== null) this.titles[key] = value;
    }
  }

  private calleeName(expr: PyNode): string | null {
    if (expr.name !== 'CallExpression') return null;
    const callee = children(expr)[0];
    return callee?.name === 'VariableName' ? this.text(callee) : null;
  }

  private expressionStatement(stmt: PyNode): void {
    const parts = children(stmt);
    const expr = parts[0];
    if (!expr || parts.length !== 1) return this.unsupported(stmt);
    if (expr.name === 'String' || expr.name === 'ContinuedString') return;
    if (this.isRunCall(expr)) return;
    const call = this.methodCall(expr);
    if (call && this.has('builder', call.receiver)) {
      this.roles.builder.add(call.receiver);
      if (call.method === 'add_node') return this.addNode(stmt, call.args);
      if (call.method === 'add_connection') return this.addConnection(stmt, call.args);
      if (call.method === 'build') return this.build(call.args);
      return this.unsupported(
        stmt,
        `${call.receiver}.${call.method}() is not a WorkflowBuilder call the importer knows (use add_node and add_connection)`,
      );
    }
    this.unsupported(stmt);
  }

  private assignment(stmt: PyNode): void {
    const parts = children(stmt);
    const ops = parts.filter((p) => p.name === 'AssignOp');
    if (ops.length !== 1) return this.unsupported(stmt);
    const opIndex = parts.indexOf(ops[0]!);
    const targets = parts.slice(0, opIndex).filter((p) => p.name !== ',' && p.name !== 'TypeDef');
    const values = parts.slice(opIndex + 1);
    const value = values[0];
    if (!value || values.length !== 1) return this.unsupported(stmt);
    if (this.isRunCall(value)) return;
    const single = targets.length === 1 && targets[0]!.name === 'VariableName' ? this.text(targets[0]!) : null;
    const callee = this.calleeName(value);
    const call = this.methodCall(value);
    if (single && callee === 'WorkflowBuilder') {
      if (this.nodes.length > 0) {
        this.report(
          stmt.from,
          'statement',
          `a second WorkflowBuilder(): the importer reads one workflow per file, so the nodes that follow join the ${this.nodes.length} added before; split the file to keep them apart`,
          { warning: true },
        );
      }
      this.roles.builder.add(single);
      return;
    }
    if (single && callee === 'LocalRuntime') return void this.roles.runtime.add(single);
    if (single && callee === 'DataFlow') return void this.roles.dataflow.add(single);
    if (single && call && call.method === 'build' && this.has('builder', call.receiver)) return this.build(call.args);
    if (single && !call && !callee) return this.constant(single, value);
    this.unsupported(stmt);
  }

  /**
   * `NAME = value` at module level: a constant later statements may use (`"table": TABLE`,
   * `add_node(..., params)`). What is not constant is reported where it stands.
   */
  private constant(name: string, value: PyNode): void {
    const reader = literalReader(this.src, this.constants);
    const read = readLiteral(value, reader);
    for (const issue of reader.issues) {
      const at = issue.path ? `${name}["${issue.path.split('.').join('"]["')}"]` : name;
      this.report(
        issue.offset,
        'statement',
        `${at}: ${issue.message}; the importer reads module-level constants made of strings, numbers, True/False/None, lists, dicts, f-strings of constants and dict merges (** or |)`,
      );
    }
    if (read === undefined) this.constants.delete(name);
    else this.constants.set(name, read);
  }

  private decorated(stmt: PyNode): void {
    const parts = children(stmt);
    const decorators = parts.filter((p) => p.name === 'Decorator');
    const cls = parts.find((p) => p.name === 'ClassDefinition');
    const decorator = decorators[0];
    const names = decorator
      ? children(decorator)
          .filter((c) => c.name === 'VariableName')
          .map((c) => this.text(c))
      : [];
    const args = decorator && children(decorator).find((c) => c.name === 'ArgList');
    const isModel =
      decorators.length === 1 &&
      names.length === 2 &&
      names[1] === 'model' &&
      this.has('dataflow', names[0]!) &&
      (!args || bracketItems(args).length === 0);
    if (!cls || !isModel)
      return this.unsupported(stmt, 'only classes decorated with @db.model (db = DataFlow()) are read');
    const nameNode = children(cls).find((c) => c.name === 'VariableName');
    const { model, issues } = readModelClass(cls, this.reader, this.lines.at(stmt.from).line);
    const modelName = nameNode ? this.text(nameNode) : undefined;
    for (const issue of issues) {
      this.report(issue.offset, 'model', issue.message, { model: modelName, warning: issue.severity === 'warning' });
    }
    if (model) this.models.set(model.name, model);
  }

  /** Maps call arguments (positional, then keyword) onto parameter names. */
  private callArgs(args: PyNode, names: readonly string[], what: string): Map<string, PyNode> | null {
    const out = new Map<string, PyNode>();
    const items = bracketItems(args);
    let positional = 0;
    for (const item of items) {
      const [first, second, third] = item;
      if (!first) continue;
      if (item.length === 1) {
        const name = names[positional++];
        if (name === undefined) {
          this.report(
            first.from,
            'statement',
            `${what} takes ${names.length} arguments (${names.join(', ')}); found ${items.length}`,
          );
          return null;
        }
        out.set(name, first);
      } else if (first.name === 'VariableName' && second?.name === 'AssignOp' && third && item.length === 3) {
        const name = this.text(first);
        if (!names.includes(name) || out.has(name)) {
          this.report(
            first.from,
            'statement',
            `${what}: ${out.has(name) ? 'argument given twice' : 'unknown argument'} "${name}"; its arguments are ${names.join(', ')}`,
          );
          return null;
        }
        out.set(name, third);
      } else {
        this.report(
          first.from,
          'statement',
          `${what}: argument "${snippet(first, this.src)}" is not supported; pass literal values`,
        );
        return null;
      }
    }
    return out;
  }

  /** A string argument, or null with a problem. */
  private stringArg(node: PyNode | undefined, at: PyNode, label: string, kind: ImportProblemKind): string | null {
    if (!node) {
      this.report(at.from, kind, `${label} is missing`);
      return null;
    }
    const before = this.reader.issues.length;
    const value = readLiteral(node, this.reader);
    this.reader.issues.splice(before);
    if (typeof value !== 'string') {
      this.report(node.from, kind, `${label} must be a string literal, not ${snippet(node, this.src)}`);
      return null;
    }
    return value;
  }

  private addNode(stmt: PyNode, argList: PyNode): void {
    const args = this.callArgs(argList, ['node_type', 'node_id', 'config'], 'add_node');
    if (!args) return;
    const type = this.stringArg(args.get('node_type'), stmt, 'add_node: the node type (first argument)', 'node');
    const id = this.stringArg(args.get('node_id'), stmt, 'add_node: the node id (second argument)', 'node');
    if (type === null || id === null) return;
    const idNode = args.get('node_id')!;
    const drop = this.lenient ? '; the node is left out' : '';
    if (!workflowNodeSchema.shape.id.safeParse(id).success) {
      this.dropped.set(id, stmt.from);
      return this.report(
        idNode.from,
        'node',
        `node id "${id}" must be a letter or _, then letters, digits, _ or - (at most 100)${drop}`,
        { node: id },
      );
    }
    const first = this.byId.get(id);
    if (first) {
      return this.report(
        idNode.from,
        'node',
        `duplicate node id "${id}" (first added at line ${this.lines.at(first.offset).line}); give each node its own id${drop}`,
        { node: id },
      );
    }
    if (!nodeDescription(type)) {
      this.dropped.set(id, stmt.from);
      const known = NODE_TYPES.map((d) => d.type).join(', ');
      return this.report(
        args.get('node_type')!.from,
        'node',
        `node "${id}": unknown node type "${type}"; the node types are ${known}${drop}`,
        { node: id },
      );
    }
    const pending: PendingNode = {
      node: { id, type, params: {}, position: { x: 0, y: 0 } },
      offset: stmt.from,
      paramOffsets: new Map(),
      droppedParams: new Set(),
      unreadParams: false,
    };
    const config = args.get('config');
    if (config && config.name !== 'None') pending.node.params = this.readParams(pending, config);
    this.nodes.push(pending);
    this.byId.set(id, pending);
  }

  private readParams(pending: PendingNode, config: PyNode): Record<string, unknown> {
    const { id, type } = pending.node;
    const reader = literalReader(this.src, this.constants);
    const value: PyValue | undefined = readLiteral(config, reader);
    for (const issue of reader.issues) {
      if (issue.offset === config.from && config.name !== 'VariableName') {
        pending.unreadParams = true;
        const names = nodeDescription(type)!.fields.map((f) => f.name);
        const fields = names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', ');
        const what =
          issue.kind === 'placeholder'
            ? 'are a placeholder {...}'
            : `are ${snippet(config, this.src)}, not a dict literal`;
        this.report(
          issue.offset,
          'params',
          `node "${id}": the params ${what}; write the ${type} params out as a dict (its fields: ${fields})`,
          { node: id },
        );
        continue;
      }
      if (issue.path !== '') pending.droppedParams.add(issue.path.split('.')[0]!);
      this.report(
        issue.offset,
        'params',
        `${formatProblem({ node: id, field: issue.path || undefined, severity: 'error', message: issue.message })}${this.lenient ? ' (left out)' : ''}`,
        { node: id },
      );
    }
    for (const [path, offset] of reader.offsets) pending.paramOffsets.set(path, offset);
    if (value === undefined) {
      pending.unreadParams = true;
      return {};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.report(
        config.from,
        'params',
        `node "${id}": params must be a dict {"name": value, ...}, not ${snippet(config, this.src)}`,
        { node: id },
      );
      return {};
    }
    return value;
  }

  private addConnection(stmt: PyNode, argList: PyNode): void {
    const items = bracketItems(argList);
    if (items.length !== 4) {
      return this.report(
        stmt.from,
        'connection',
        `add_connection takes exactly four arguments (source node, source output, target node, target input); found ${items.length}`,
      );
    }
    const args = this.callArgs(argList, ['from_node', 'from_output', 'to_node', 'to_input'], 'add_connection');
    if (!args) return;
    const source = this.stringArg(args.get('from_node'), stmt, 'add_connection: the source node', 'connection');
    const sourceOutput = this.stringArg(
      args.get('from_output'),
      stmt,
      'add_connection: the source output',
      'connection',
    );
    const target = this.stringArg(args.get('to_node'), stmt, 'add_connection: the target node', 'connection');
    const targetInput = this.stringArg(args.get('to_input'), stmt, 'add_connection: the target input', 'connection');
    if (source === null || sourceOutput === null || target === null || targetInput === null) return;
    const shape = connectionSchema.shape;
    for (const [value, field, label] of [
      [sourceOutput, 'from_output', 'source output'],
      [targetInput, 'to_input', 'target input'],
    ] as const) {
      const parsed = (field === 'from_output' ? shape.sourceOutput : shape.targetInput).safeParse(value);
      if (!parsed.success) {
        return this.report(
          args.get(field)!.from,
          'connection',
          `connection ${source} -> ${target}: ${label} "${value}" ${parsed.error.issues[0]?.message ?? 'is not valid'}`,
        );
      }
    }
    this.connections.push({
      connection: { source, sourceOutput, target, targetInput },
      offset: stmt.from,
      text: snippet(stmt, this.src, 100),
    });
  }

  private finish(): Workflow {
    const kept: Connection[] = [];
    const seen = new Set<string>();
    const edges = this.routes();
    const drop = this.lenient ? '; the connection is left out' : '';
    for (const { connection: c, offset, text } of this.connections) {
      const missing = [c.source, c.target].filter((id, i, all) => !this.byId.has(id) && all.indexOf(id) === i);
      if (missing.length > 0) {
        const notes = missing.map((id) =>
          this.dropped.has(id)
            ? `"${id}" (not imported, see line ${this.lines.at(this.dropped.get(id)!).line})`
            : `"${id}"`,
        );
        const have =
          this.nodes.length > 0 ? `its nodes are ${this.nodes.map((n) => n.node.id).join(', ')}` : 'it has no nodes';
        this.report(
          offset,
          'connection',
          `${text} names node${missing.length > 1 ? 's' : ''} ${notes.join(' and ')}, which this workflow does not have (${have}); connect nodes added with add_node${drop}`,
          { node: missing[0] },
        );
        continue;
      }
      if (c.source === c.target) {
        this.report(offset, 'connection', `${text}: a node cannot connect to itself${drop}`, { node: c.source });
        continue;
      }
      const key = `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`;
      if (seen.has(key)) {
        this.report(offset, 'connection', `${text}: duplicate connection ${key}${drop}`, { node: c.target });
        continue;
      }
      if (this.options.validate !== false && reaches(edges, c.target, c.source)) {
        this.report(
          offset,
          'connection',
          `${text} closes a cycle (${c.target} already leads to ${c.source}); workflows run in one direction${drop}`,
          { node: c.target },
        );
        continue;
      }
      seen.add(key);
      kept.push(c);
      edges.set(c.source, [...(edges.get(c.source) ?? []), c.target]);
    }
    let workflow: Workflow = {
      format: WORKFLOW_FORMAT,
      version: WORKFLOW_VERSION,
      name: this.titles.name ?? this.options.name ?? 'untitled',
      description: this.titles.description ?? '',
      nodes: this.nodes.map((n) => n.node),
      connections: kept,
    };
    if (this.options.validate !== false) this.validate(workflow);
    if (this.lenient && this.options.validate !== false) workflow = this.withoutInvalidNodes(workflow);
    this.orderWarnings(workflow);
    workflow = layoutWorkflow(workflow);
    return workflow;
  }

  /** Switch routes as edges: source -> targets. */
  private routes(): Map<string, string[]> {
    const edges = new Map<string, string[]>();
    for (const n of this.nodes) {
      const cases = n.node.type === 'SwitchNode' ? n.node.params.cases : undefined;
      if (cases && typeof cases === 'object')
        edges.set(
          n.node.id,
          Object.values(cases).filter((t): t is string => typeof t === 'string'),
        );
    }
    return edges;
  }

  private offsetOf(nodeId: string | undefined, field: string | undefined): number {
    const pending = nodeId === undefined ? undefined : this.byId.get(nodeId);
    if (!pending) return this.nodes[0]?.offset ?? 0;
    const path = field?.split('.') ?? [];
    while (path.length > 0) {
      const offset = pending.paramOffsets.get(path.join('.'));
      if (offset !== undefined) return offset;
      path.pop();
    }
    return pending.offset;
  }

  private validate(workflow: Workflow): void {
    const reported = new Set<string>();
    const key = (p: WorkflowProblem) => `${p.node}\u0000${p.field}\u0000${p.message}`;
    for (const pending of this.nodes) {
      if (pending.unreadParams) continue;
      for (const p of validateParams(pending.node)) {
        reported.add(key(p));
        if (p.field !== undefined && pending.droppedParams.has(p.field.split('.')[0]!)) continue;
        this.report(this.offsetOf(p.node, p.field), 'params', formatProblem(p), { node: p.node });
      }
    }
    for (const p of validateWorkflow(workflow)) {
      if (reported.has(key(p)) || (p.node !== undefined && this.byId.get(p.node)?.unreadParams)) continue;
      this.report(this.offsetOf(p.node, p.field), 'workflow', formatProblem(p), {
        node: p.node,
        warning: p.severity === 'warning',
      });
    }
  }

  /**
   * Lenient: leaves out the nodes that would not validate (params that could not be read or do
   * not pass their schema, a `":name"` param nothing feeds), and their connections, so that the
   * file written validates; repeated, since leaving a node out can leave the next one unfed.
   */
  private withoutInvalidNodes(workflow: Workflow): Workflow {
    /** The reason is listed already: the node's params could not be read, or the same problem was reported. */
    const said = (id: string, why: WorkflowProblem) =>
      this.byId.get(id)!.unreadParams || this.problems.some((p) => p.message === formatProblem(why));
    let wf = workflow;
    for (;;) {
      const invalid = new Map<string, WorkflowProblem>();
      for (const p of validateWorkflow(wf))
        if (p.severity === 'error' && p.node !== undefined && !invalid.has(p.node)) invalid.set(p.node, p);
      const present = wf.nodes.filter((n) => invalid.has(n.id));
      if (present.length === 0) return wf;
      for (const n of present) {
        const why = invalid.get(n.id)!;
        this.report(
          this.byId.get(n.id)!.offset,
          'node',
          said(n.id, why)
            ? `node "${n.id}" is left out, so that the workflow validates; fix the problem reported for it and import again`
            : `node "${n.id}" is left out, so that the workflow validates: ${formatProblem(why)}`,
          { node: n.id, warning: true },
        );
      }
      const out = new Set(present.map((n) => n.id));
      wf = {
        ...wf,
        nodes: wf.nodes.filter((n) => !out.has(n.id)),
        connections: wf.connections.filter((c) => !out.has(c.source) && !out.has(c.target)),
      };
    }
  }

  /** Warnings about order: nodes nothing orders run in the order they were added. */
  private orderWarnings(workflow: Workflow): void {
    const touched = new Set<string>();
    for (const c of workflow.connections) touched.add(c.source).add(c.target);
    for (const n of workflow.nodes) {
      if (n.type !== 'SwitchNode') continue;
      const targets = Object.values((n.params.cases as Record<string, unknown> | undefined) ?? {}).concat(
        n.params.default ?? [],
      );
      for (const t of targets)
        if (typeof t === 'string' && workflow.nodes.some((m) => m.id === t)) touched.add(n.id).add(t);
    }
    workflow.nodes.forEach((n, i) => {
      if (workflow.nodes.length > 1 && !touched.has(n.id)) {
        this.report(
          this.byId.get(n.id)!.offset,
          'workflow',
          `node "${n.id}" has no connections: it runs in the order it was added (step ${i + 1} of ${workflow.nodes.length}); add a connection to make the order explicit`,
          { node: n.id, warning: true },
        );
      }
    });
  }
}

/** True when `to` is reachable from `from` over the edges. */
function reaches(edges: Map<string, string[]>, from: string, to: string): boolean {
  const stack = [from];
  const visited = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (visited.has(id)) continue;
    visited.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  return false;
}
