import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json-text.ts';

/** Whether `v` holds a whole number beyond 2^53 - 1 (which parseJson reads as a BigInt). */
function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  return typeof v === 'object' && v !== null && Object.values(v).some(hasUnsafeInteger);
}

describe('parseJson', () => {
  it('keeps the digits of integers beyond 2^53 (JSON.parse rounds them)', () => {
    expect(JSON.parse('9007199254740993')).toBe(9007199254740992);
    expect(parseJson('9007199254740993')).toBe(9007199254740993n);
    expect(parseJson('{"d": 10000000000000000, "n": -9223372036854775808, "s": 9007199254740991}')).toEqual({
      d: 10000000000000000n,
      n: -9223372036854775808n,
      s: 9007199254740991,
    });
    expect(parseJson('[123456789012345678901234567890, 2]')).toEqual([123456789012345678901234567890n, 2]);
  });

  it('reads a fraction or an exponent as JSON.parse does, and long digits inside strings as text', () => {
    const text = '{"f": 12345678901234567.5, "e": 1e25, "s": "90071992547409931234", "z": -0}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(Object.is((parseJson(text) as { z: number }).z, -0)).toBe(true);
  });

  it('keeps __proto__ as an own key and the last of a duplicated key, as JSON.parse does', () => {
    const text = '{"__proto__": {"x": 12345678901234567890}, "a": 1, "a": 2}';
    const v = parseJson(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(v.a).toBe(2);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ x: 12345678901234567890n });
  });

  it('throws JSON.parse errors for text that is not JSON', () => {
    expect(() => parseJson('{"a": 12345678901234567890,}')).toThrow(SyntaxError);
  });

  it('equals JSON.parse on any JSON without unsafe integers (escapes, nesting, whitespace)', () => {
    fc.assert(
      fc.property(fc.json(), fc.string({ unit: 'grapheme' }), (json, s) => {
        fc.pre(!hasUnsafeInteger(JSON.parse(json)));
        const text = `{"v": ${json}, "s": ${JSON.stringify(s)}, "digits": "12345678901234567"}`;
        expect(parseJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('stringifyJson', () => {
  it('writes a BigInt as its digits and reads back the same value', () => {
    const v = { d: 9007199254740993n, list: [-12345678901234567890n, 1.5], s: 'x' };
    const text = stringifyJson(v, 2);
    expect(text).toContain('"d": 9007199254740993,');
    expect(text).toContain('-12345678901234567890,');
    expect(parseJson(text)).toEqual(v);
  });

  it('is JSON.stringify for values without a BigInt, even a string that looks like its marker', () => {
    const v = { a: [1, 'two', null, true], s: '\u0000bigint:5' };
    expect(stringifyJson(v, 2)).toBe(JSON.stringify(v, null, 2));
    expect(stringifyJson({ s: '\u0000bigint:5', b: 1n })).toBe('{"s":"\\u0000bigint:5","b":1}');
  });
});
