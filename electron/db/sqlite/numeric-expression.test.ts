import { describe, expect, it } from 'vitest';
import { isArithmetic } from './numeric-expression.ts';

describe('isArithmetic (SQLite: a value that is never text)', () => {
  it('takes operands joined by + - * / % at the top level', () => {
    for (const e of [
      'subtotal + tax + shipping',
      '(subtotal + tax + shipping)',
      '((a * 1.1))',
      'a - -b',
      '-a * 2',
      'o."price" / 100',
      'coalesce(a, b) + 0',
      '(a || b) + 1',
      "'12' % 5",
      'abs(x) * (y - z) -- margin',
    ])
      expect(isArithmetic(e), e).toBe(true);
  });

  it('refuses anything that may be text or passes its operand through', () => {
    for (const e of [
      'a',
      '(a)',
      '-a',
      '+a',
      "a || 'x'",
      'a + b || c',
      'a + b COLLATE nocase',
      'CASE WHEN a > 0 THEN a + 1 ELSE b END',
      'a + CASE WHEN b THEN 1 ELSE 2 END',
      'a + b > 1',
      'a + b IS NULL',
      'a -> b',
      'a + ?',
      'a::int + 1',
      'a + (b',
      "a + 'unterminated",
      'a +- b',
      'a + b AND c',
      'coalesce(a, b)',
      'a.b.c + 1',
    ])
      expect(isArithmetic(e), e).toBe(false);
  });
});
