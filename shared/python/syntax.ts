/**
 * The Python syntax tree as `@lezer/python` builds it, and the small helpers every reader of it
 * needs: node children without trivia, source text, line/column positions and syntax errors.
 */
import { parser } from '@lezer/python';

export type PyTree = ReturnType<typeof parser.parse>;
export type PyNode = PyTree['topNode'];

export function parsePythonTree(source: string): PyTree {
  return parser.parse(source);
}

/** Children of a node, comments left out. */
export function children(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

/** Splits bracketed items (`(a, b)`, `{k: v, **x}`) at their commas, brackets left out. */
export function bracketItems(node: PyNode): PyNode[][] {
  const items: PyNode[][] = [];
  let current: PyNode[] = [];
  for (const c of children(node).slice(1)) {
    if (c.name === ',' || isClosing(c)) {
      if (current.length > 0) items.push(current);
      current = [];
    } else current.push(c);
  }
  if (current.length > 0) items.push(current);
  return items;
}

const CLOSING = new Set([')', ']', '}']);
function isClosing(node: PyNode): boolean {
  return CLOSING.has(node.name);
}

/** True when the node or anything below it is a parse error. */
export function hasError(node: PyNode): boolean {
  let found = false;
  node.cursor().iterate((n) => {
    if (found) return false;
    if (n.type.isError) found = true;
    return !found;
  });
  return found;
}

/** Maps source offsets to 1-based line and column. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const OPENERS: Record<string, string> = {
  ArgList: ')',
  ParamList: ')',
  TupleExpression: ')',
  ParenthesizedExpression: ')',
  ComprehensionExpression: ')',
  ArrayExpression: ']',
  ArrayComprehensionExpression: ']',
  DictionaryExpression: '}',
  DictionaryComprehensionExpression: '}',
  SetExpression: '}',
  SetComprehensionExpression: '}',
};

/** A syntax error: where, and what is wrong in words a user can act on. */
export interface SyntaxProblem {
  offset: number;
  message: string;
}

/**
 * Every syntax error of the tree. Unclosed brackets are named with the place they were opened;
 * other errors say what was found where. At most one problem per line.
 */
export function syntaxProblems(tree: PyTree, source: string, lines: LineMap): SyntaxProblem[] {
  const errors: SyntaxProblem[] = [];
  const unclosed: SyntaxProblem[] = [];
  tree.topNode.cursor().iterate((ref) => {
    const node = ref.node;
    if (node.type.isError) {
      errors.push({ offset: node.from, message: describeError(node, source) });
      return false;
    }
    const closer = OPENERS[node.name];
    if (closer !== undefined && node.lastChild?.name !== closer) {
      const { line, column } = lines.at(node.from);
      unclosed.push({
        offset: node.from,
        message: `"${source[node.from]}" opened at line ${line}, column ${column} is never closed: add "${closer}"`,
      });
    } else if (node.name === 'String' && !stringClosed(source.slice(node.from, node.to))) {
      unclosed.push({ offset: node.from, message: 'this string is never closed: add its closing quote' });
    }
    return true;
  });
  const all = unclosed.length > 0 ? [...unclosed, ...errors.filter((e) => e.message !== END_OF_INPUT)] : errors;
  const byLine = new Map<number, SyntaxProblem>();
  for (const p of all) {
    const line = lines.at(p.offset).line;
    if (!byLine.has(line)) byLine.set(line, p);
  }
  return [...byLine.values()].sort((a, b) => a.offset - b.offset);
}

const END_OF_INPUT = 'syntax error: the code ends in the middle of a statement (a bracket or string is not closed)';

function describeError(node: PyNode, source: string): string {
  if (node.from >= source.length || source.slice(node.from).trim() === '') {
    return END_OF_INPUT;
  }
  const text = source
    .slice(node.from, Math.max(node.to, node.from + 1))
    .split('\n')[0]!
    .trim();
  if (text === '') return 'syntax error: unexpected line break or indentation';
  return `syntax error: unexpected ${JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}...` : text)}`;
}

function stringClosed(text: string): boolean {
  const prefix = /^[A-Za-z]*/.exec(text)![0].length;
  const q = text[prefix];
  if (q !== '"' && q !== "'") return false;
  const quote = text.startsWith(q.repeat(3), prefix) && text.length >= prefix + 6 ? q.repeat(3) : q;
  return text.length >= prefix + quote.length * 2 && text.endsWith(quote) && !endsEscaped(text, quote.length);
}

function endsEscaped(text: string, quoteLength: number): boolean {
  let n = 0;
  for (let i = text.length - quoteLength - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** The source text of a node, shortened for messages. */
export function snippet(node: PyNode, source: string, max = 40): string {
  const text = source.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
