import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkExpression, checkReadOnlyQuery, tokenize } from './sql-expression.ts';

const kinds = (s: string) => tokenize(s).map((t) => [t.kind, t.value]);

describe('tokenize', () => {
  it('splits strings with doubled quotes, quoted identifiers, numbers and operators', () => {
    expect(kinds(`coalesce(x, 'a''b') + "My ""Col""" * 1.5e3 >= .5`)).toEqual([
      ['word', 'coalesce'],
      ['lparen', '('],
      ['word', 'x'],
      ['comma', ','],
      ['string', "a'b"],
      ['rparen', ')'],
      ['operator', '+'],
      ['quoted', 'My "Col"'],
      ['operator', '*'],
      ['number', '1.5e3'],
      ['operator', '>='],
      ['number', '.5'],
    ]);
  });

  it('knows casts, parameters, dollar quotes and both comment forms', () => {
    expect(kinds('a::int = $1 or b = $tag$x; y$tag$ -- rest')).toEqual([
      ['word', 'a'],
      ['cast', '::'],
      ['word', 'int'],
      ['operator', '='],
      ['param', '$1'],
      ['word', 'or'],
      ['word', 'b'],
      ['operator', '='],
      ['dollar', 'x; y'],
      ['comment', '-- rest'],
    ]);
    expect(kinds('x/* c */?')).toEqual([
      ['word', 'x'],
      ['comment', '/* c */'],
      ['param', '?'],
    ]);
    expect(kinds('$$a$$')).toEqual([['dollar', 'a']]);
    expect(kinds(':name ?2')).toEqual([
      ['param', ':name'],
      ['param', '?2'],
    ]);
  });

  it('stops an operator before a comment and keeps SQLite identifier forms', () => {
    expect(kinds('a<--b')).toEqual([
      ['word', 'a'],
      ['operator', '<'],
      ['comment', '--b'],
    ]);
    expect(kinds('[my col] `x``y` [col]')).toEqual([
      ['lbracket', '['],
      ['word', 'my'],
      ['word', 'col'],
      ['rbracket', ']'],
      ['quoted', 'x`y'],
      ['quoted', 'col'],
    ]);
    expect(kinds("x'0A' data->>'k'")).toEqual([
      ['string', '0A'],
      ['word', 'data'],
      ['operator', '->>'],
      ['string', 'k'],
    ]);
  });

  it('gives offsets and reports unterminated text as an error token', () => {
    const t = tokenize("ab 'cd");
    expect(t[0]).toMatchObject({ start: 0, end: 2 });
    expect(t[1]).toMatchObject({ kind: 'error', value: 'unterminated string', start: 3, end: 6 });
    expect(tokenize('/* x').at(-1)).toMatchObject({ kind: 'error', value: 'unterminated /* comment' });
    expect(tokenize('$a$ x').at(-1)).toMatchObject({ kind: 'error', value: 'unterminated dollar-quoted string' });
    expect(tokenize("x = E'a' b")[2]).toMatchObject({ kind: 'error', start: 4, end: 10 });
    expect(tokenize('a \\ b')[1]).toMatchObject({ kind: 'error', value: 'unexpected character "\\"' });
  });
});

describe('checkExpression', () => {
  const accepted = [
    'subtotal + tax + shipping',
    'CASE WHEN a THEN 1 ELSE 2 END',
    "coalesce(x, 'a''b')",
    "name = 'a; DROP TABLE orders'",
    "note <> '-- not a comment' AND note <> '/* nor this */'",
    'price > 0 AND price < 1000000',
    "status IN ('pending', 'done')",
    'length(trim(name)) > 0',
    "created_at::timestamp with time zone AT TIME ZONE 'UTC'",
    'CAST(total AS numeric(10,2))',
    'a IS DISTINCT FROM b',
    'extract(year from created_at) >= 2000',
    "substring(code from 1 for 3) = 'ABC'",
    'CURRENT_TIMESTAMP',
    "string_agg(x, ',' ORDER BY y)",
    'ARRAY[1, 2, 3] @> tags',
    '"order" > 0',
    't.set > 0',
  ];
  for (const text of accepted) {
    it(`accepts ${text}`, () => {
      expect(checkExpression(text, { allowSubquery: false })).toEqual({ ok: true });
    });
  }

  const rejected: [string, RegExp][] = [
    ['1; DROP TABLE orders', /^a second statement after ";" at 2$/],
    ['1;', /";" at 2: an expression takes no statement terminator/],
    ['a -- hide', /a comment at 3/],
    ['a /* x */ + 1', /a comment at 3/],
    ['(a + b', /"\(" at 1 is never closed/],
    ['(a + (b)', /"\(" at 1 is never closed/],
    ['f((a) + b', /"\(" at 2 is never closed/],
    ['a + b)', /"\)" at 6 has no matching "\("/],
    ['a[1', /"\[" at 2 is never closed/],
    ["'abc", /unterminated string at 1/],
    ['SELECT 1', /SELECT at 1: a query is not an expression/],
    ['(SELECT 1)', /a subquery at 1: subqueries are not allowed here/],
    ['x IN (VALUES (1))', /a subquery at 6/],
    ['1, other = 5', /"," at 2 outside parentheses/],
    ['y.v FROM y', /FROM at 5 is not part of an expression/],
    ['1 WHERE true', /WHERE at 3/],
    ['1 UNION SELECT 2', /UNION at 3|SELECT at 9/],
    ['pg_sleep(10) IS NULL', /a call of pg_sleep at 1/],
    ['pg_catalog.pg_sleep(1)', /a call of pg_sleep at 12/],
    ['"pg_sleep"(1)', /a call of pg_sleep/],
    ["set_config('a', 'b', false)", /set_config/],
    ["nextval('s')", /nextval/],
    ["dblink_exec('x', 'y')", /dblink_exec/],
    ["load_extension('x')", /load_extension/],
    ["lo_import('/etc/passwd')", /lo_import/],
    ["pg_read_file('x')", /pg_read_file/],
    ["query_to_xml('delete from t', true, true, '')", /query_to_xml/],
    ['x = $1', /a parameter "\$1" at 5/],
    ['x = ?', /a parameter "\?"/],
    ['delete', /DELETE at 1 is not allowed/],
    ['1 RETURNING *', /RETURNING at 3/],
    ['lock > 0', /LOCK at 1 is not allowed.*quote it: "lock"/],
    ['WITH x AS (SELECT 1) SELECT 2', /WITH at 1: a query is not an expression/],
    ['', /empty/],
  ];
  for (const [text, error] of rejected) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const r = checkExpression(text, { allowSubquery: false });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    });
  }

  it('accepts dollar-quoted strings only for PostgreSQL', () => {
    expect(checkExpression("$q$it's; fine$q$", { allowSubquery: false, dialect: 'postgres' })).toEqual({ ok: true });
    expect(checkExpression('$$a$$', { allowSubquery: false, dialect: 'sqlite' })).toMatchObject({
      ok: false,
      error: "a dollar-quoted string at 1: only PostgreSQL has them; write '...' instead",
    });
    expect(checkExpression('$a$ ; DROP TABLE x; $a$', { allowSubquery: false })).toMatchObject({
      ok: false,
      error: expect.stringContaining('dollar-quoted'),
    });
    expect(checkReadOnlyQuery('SELECT $$x$$', { dialect: 'postgres' })).toEqual({ ok: true });
    expect(checkReadOnlyQuery('SELECT $$x$$')).toMatchObject({ ok: false });
  });

  it("rejects E'...' strings, which PostgreSQL lexes with backslash escapes", () => {
    const r = checkExpression("E'\\'' || pg_sleep(1) || ''", { allowSubquery: false, dialect: 'postgres' });
    expect(r).toMatchObject({
      ok: false,
      error: expect.stringContaining("E'...' strings (backslash escapes) are not supported"),
    });
    expect(checkExpression("name = e'x'", { allowSubquery: false })).toMatchObject({ ok: false, offset: 7 });
    expect(checkExpression("name = 'e'", { allowSubquery: false })).toEqual({ ok: true });
  });

  it('accepts plain subqueries only with allowSubquery', () => {
    const ok = [
      '(SELECT 1) ',
      'EXISTS (SELECT 1 FROM users u WHERE u.id = user_id)',
      'price * (SELECT rate FROM fx WHERE cur = currency LIMIT 1)',
      '(WITH r AS (SELECT 2 AS v) SELECT v FROM r)',
      'x IN (SELECT id FROM t UNION SELECT id FROM u)',
      '(VALUES (1))',
    ];
    for (const text of ok) expect(checkExpression(text, { allowSubquery: true }), text).toEqual({ ok: true });
  });

  it('rejects writes inside a subquery or CTE even with allowSubquery', () => {
    const bad: [string, RegExp][] = [
      ['(WITH x AS (DELETE FROM t RETURNING 1) SELECT 1)', /DELETE at 13/],
      ['(SELECT 1 FROM t FOR UPDATE)', /UPDATE/],
      ['(SELECT * INTO t2 FROM t)', /INTO/],
      ['(SELECT pg_terminate_backend(1))', /pg_terminate_backend/],
      ['(SELECT 1); DROP TABLE x', /a second statement/],
      ['SELECT 1', /write it as a subquery in parentheses/],
    ];
    for (const [text, error] of bad) {
      const r = checkExpression(text, { allowSubquery: true });
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toMatch(error);
    }
  });

  it('reports the 0-based offset of the problem', () => {
    expect(checkExpression('a + b -- x', { allowSubquery: false })).toMatchObject({ ok: false, offset: 6 });
  });
});

describe('checkReadOnlyQuery', () => {
  it('accepts one SELECT, WITH ... SELECT or VALUES, with one optional trailing ;', () => {
    for (const q of [
      'SELECT count(*) FROM orders WHERE total_amount IS NULL',
      'select id, email from users order by id limit 10;',
      'WITH t AS (SELECT 1 AS a) SELECT a FROM t',
      'VALUES (1, 2), (3, 4)',
      '(SELECT 1) UNION ALL (SELECT 2)',
      "SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.name = 'x;y' GROUP BY 1 HAVING count(*) > 1",
    ]) {
      expect(checkReadOnlyQuery(q), q).toEqual({ ok: true });
    }
  });

  it('rejects writes anywhere, a second statement, comments and other statements', () => {
    const bad: [string, RegExp][] = [
      ['SELECT 1; SELECT 2', /a second statement after ";" at 9/],
      ['SELECT 1;;', /a second statement/],
      ['DELETE FROM orders', /DELETE at 1 is not allowed/],
      ['UPDATE users SET x = 1', /UPDATE at 1/],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', /DELETE at 12/],
      ['SELECT * FROM t FOR UPDATE', /UPDATE at 21/],
      ['SELECT * INTO copy FROM t', /INTO at 10/],
      ['SELECT pg_sleep(5)', /pg_sleep/],
      ['SELECT 1 -- trailing', /a comment/],
      ['EXPLAIN SELECT 1', /EXPLAIN at 1/],
      ['PRAGMA table_info(users)', /PRAGMA at 1/],
      ['SHOW search_path', /must start with SELECT, WITH or VALUES, not "SHOW"/],
      ['', /empty/],
      ['(SELECT 1', /never closed/],
    ];
    for (const [text, error] of bad) {
      const r = checkReadOnlyQuery(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toMatch(error);
    }
  });
});

describe('tokenize (property)', () => {
  it('never throws and covers every non-space character exactly once, in order', () => {
    const sqlish = fc.string({
      unit: fc.constantFrom(...`ab_1 9.'"\`$[]()-*/;:,?@<>=|E\n\t`.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(sqlish, fc.string()), (text) => {
        let pos = 0;
        for (const t of tokenize(text)) {
          expect(text.slice(pos, t.start).trim()).toBe('');
          expect(t.end).toBeGreaterThan(t.start);
          expect(text.slice(t.start, t.end)).toBe(t.text);
          pos = t.end;
        }
        expect(text.slice(pos).trim()).toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});
