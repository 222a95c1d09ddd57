import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineDiff, sideBySide } from './line-diff.ts';

/** LCS length by plain recursion with memo, to check lineDiff keeps a longest common subsequence. */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const k = `${i},${j}`;
    if (!memo.has(k)) memo.set(k, a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1)));
    return memo.get(k)!;
  };
  return go(0, 0);
}

describe('lineDiff', () => {
  it('keeps the common lines and marks the rest removed or added, with line numbers on each side', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nc\nd\ne')).toEqual([
      { kind: 'same', before: { line: 1, text: 'a' }, after: { line: 1, text: 'a' } },
      { kind: 'removed', before: { line: 2, text: 'b' }, after: null },
      { kind: 'same', before: { line: 3, text: 'c' }, after: { line: 2, text: 'c' } },
      { kind: 'same', before: { line: 4, text: 'd' }, after: { line: 3, text: 'd' } },
      { kind: 'added', before: null, after: { line: 4, text: 'e' } },
    ]);
  });

  it('treats an empty text as no lines (a table that did not exist)', () => {
    expect(lineDiff('', 'x\ny')).toEqual([
      { kind: 'added', before: null, after: { line: 1, text: 'x' } },
      { kind: 'added', before: null, after: { line: 2, text: 'y' } },
    ]);
    expect(lineDiff('x', '')).toEqual([{ kind: 'removed', before: { line: 1, text: 'x' }, after: null }]);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('shows a changed column of a formatted DDL as one removed and one added line', () => {
    const before = 'CREATE TABLE t (\n  id integer,\n  n integer\n)';
    const after = 'CREATE TABLE t (\n  id integer,\n  n bigint NOT NULL\n)';
    expect(lineDiff(before, after).filter((d) => d.kind !== 'same')).toEqual([
      { kind: 'removed', before: { line: 3, text: '  n integer' }, after: null },
      { kind: 'added', before: null, after: { line: 3, text: '  n bigint NOT NULL' } },
    ]);
  });

  it("compares lines by their key, keeping each side's own text", () => {
    const d = lineDiff('(\n  a int\n)', '(\n  a int,\n  b int\n)', (l) => l.replace(/,$/, ''));
    expect(d.map((x) => [x.kind, x.before?.text ?? null, x.after?.text ?? null])).toEqual([
      ['same', '(', '('],
      ['same', '  a int', '  a int,'],
      ['added', null, '  b int'],
      ['same', ')', ')'],
    ]);
  });

  it('rebuilds both texts and keeps a longest common subsequence, for any inputs', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 9 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const before = a.join('\n');
        const after = b.join('\n');
        const d = lineDiff(before, after);
        const lines = (s: string) => (s === '' ? [] : s.split('\n'));
        expect(d.flatMap((x) => (x.before ? [x.before.text] : [])).join('\n')).toBe(before);
        expect(d.flatMap((x) => (x.after ? [x.after.text] : [])).join('\n')).toBe(after);
        expect(d.flatMap((x) => (x.before ? [x.before.line] : []))).toEqual(lines(before).map((_, k) => k + 1));
        expect(d.filter((x) => x.kind === 'same')).toHaveLength(lcsLength(lines(before), lines(after)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sideBySide', () => {
  it('puts unchanged lines on both sides and pairs each block of removals with the additions replacing it', () => {
    const rows = sideBySide(lineDiff('a\nx\ny\nc', 'a\nz\nc\nw'));
    expect(
      rows.map((r) => [
        r.left && `${r.left.kind}:${r.left.line}:${r.left.text}`,
        r.right && `${r.right.kind}:${r.right.line}:${r.right.text}`,
      ]),
    ).toEqual([
      ['same:1:a', 'same:1:a'],
      ['removed:2:x', 'added:2:z'],
      ['removed:3:y', null],
      ['same:4:c', 'same:3:c'],
      [null, 'added:4:w'],
    ]);
  });
});
