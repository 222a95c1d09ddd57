/**
 * Precision and recall of the safety review on its corpus (test/lint-corpus.ts), per rule, with
 * the live database (`--db`) and without it (statically, as squawk-like linters work): the table
 * in docs/lint.md ("Precision and recall") must be what this computes. After changing a rule or
 * the corpus, run it with DATAFLOW_WRITE_CORPUS_FIGURES=1 to write the table into docs/lint.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../shared/lint/config.ts';
import { LINT_RULES, type LintCode } from '../shared/lint/rules.ts';
import { lintSqlSources, postgresLiveFacts, type LiveFacts } from '../electron/db/postgres/lint/lint.ts';
import { createTestDatabase, type FreshDatabase } from './databases.ts';
import { CORPUS, CORPUS_SETUP, CORPUS_THRESHOLDS } from './lint-corpus.ts';

const DOC = join(import.meta.dirname, '../docs/lint.md');
const BEGIN = '<!-- corpus figures: test/lint-corpus.test.ts -->';
const END = '<!-- end of corpus figures -->';
const PREFIX = "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\n";

type Tally = Record<string, { cases: number; tp: number; fp: number; fn: number }>;

async function tally(live: LiveFacts | null): Promise<Tally> {
  const t: Tally = {};
  const at = (code: string) => (t[code] ??= { cases: 0, tp: 0, fp: 0, fn: 0 });
  for (const c of CORPUS) {
    const r = await lintSqlSources([{ file: 'case.sql', text: c.raw ? c.sql : PREFIX + c.sql }], {
      postgresVersion: 17,
      thresholds: { ...DEFAULT_THRESHOLDS, ...CORPUS_THRESHOLDS },
      live,
      planned: false,
    });
    const found = r.findings.map((f) => f.code as string);
    for (const code of new Set([...c.expect, ...found])) {
      const want = c.expect.filter((x) => x === code).length;
      const got = found.filter((x) => x === code).length;
      const hit = Math.min(want, got);
      const row = at(code);
      if (want > 0) row.cases++;
      row.tp += hit;
      row.fp += got - hit;
      row.fn += want - hit;
    }
  }
  return t;
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

function table(live: Tally, bare: Tally): string {
  const rows = (Object.keys(LINT_RULES) as LintCode[])
    .filter((code) => LINT_RULES[code].dialects !== 'sqlite')
    .map((code) => {
      const l = live[code] ?? { cases: 0, tp: 0, fp: 0, fn: 0 };
      const s = bare[code] ?? { cases: 0, tp: 0, fp: 0, fn: 0 };
      return `| ${code} | ${l.cases} | ${pct(l.tp, l.tp + l.fp)} | ${pct(l.tp, l.tp + l.fn)} | ${pct(s.tp, s.tp + s.fp)} | ${pct(s.tp, s.tp + s.fn)} |`;
    });
  const sum = (t: Tally) =>
    Object.values(t).reduce((a, r) => ({ tp: a.tp + r.tp, fp: a.fp + r.fp, fn: a.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const L = sum(live);
  const S = sum(bare);
  return [
    '| rule | snippets that should report it | precision with `--db` | recall with `--db` | precision without | recall without |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| all | ${CORPUS.length} snippets | ${pct(L.tp, L.tp + L.fp)} | ${pct(L.tp, L.tp + L.fn)} | ${pct(S.tp, S.tp + S.fp)} | ${pct(S.tp, S.tp + S.fn)} |`,
  ].join('\n');
}

describe('the lint corpus', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.setup(CORPUS_SETUP);
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('docs/lint.md reports its precision and recall per rule, with and without the live database', async () => {
    const live = await tally(postgresLiveFacts(db.driver, await db.dialect.introspect(db.driver)));
    const figures = table(live, await tally(null));
    const doc = readFileSync(DOC, 'utf8');
    const from = doc.indexOf(BEGIN);
    const to = doc.indexOf(END);
    expect(from).toBeGreaterThan(0);
    if (process.env.DATAFLOW_WRITE_CORPUS_FIGURES) {
      writeFileSync(DOC, `${doc.slice(0, from + BEGIN.length)}\n\n${figures}\n\n${doc.slice(to)}`);
    }
    const now = readFileSync(DOC, 'utf8');
    expect(now.slice(now.indexOf(BEGIN) + BEGIN.length, now.indexOf(END)).trim()).toBe(figures);
  });
});
