import { describe, expect, it } from 'vitest';
import { formatDefaultText, parseDefaultText } from './default-text.ts';

const value = (text: string) => {
  const r = parseDefaultText(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('the Default field as people type it', () => {
  it.each([
    ["'bronze'", 'bronze'],
    ['bronze', 'bronze'],
    ['"bronze"', 'bronze'],
    ["'it''s'", "it's"],
    ["''", ''],
    ['hello world', 'hello world'],
    ['42', 42],
    ['-1.5', -1.5],
    ['true', true],
    ['FALSE', false],
    ['null', null],
    ['now()', { sql: 'now()' }],
    ["nextval('s')", { sql: "nextval('s')" }],
    ['CURRENT_TIMESTAMP', { sql: 'CURRENT_TIMESTAMP' }],
    ['current_date', { sql: 'current_date' }],
    ['{"sql": "1 + 1"}', { sql: '1 + 1' }],
    ['9007199254740993', 9007199254740993n],
    ['', undefined],
  ])('%s', (typed, expected) => {
    expect(value(typed)).toEqual(expected);
  });

  it('refuses a quote left open and an object that is not an expression', () => {
    expect(parseDefaultText("'bronze")).toMatchObject({ ok: false, error: expect.stringMatching(/must end with '/) });
    expect(parseDefaultText('{"a": 1}')).toMatchObject({ ok: false, error: expect.stringMatching(/\{"sql"/) });
  });

  it('shows the param as typed in SQL, and reads it back to the same param', () => {
    for (const v of ['bronze', "it's", 'true', 42, true, null, { sql: 'now()' }, 9007199254740993n]) {
      const text = formatDefaultText(v);
      expect(value(text)).toEqual(v);
    }
    expect(formatDefaultText('bronze')).toBe("'bronze'");
  });
});
