/**
 * Every PostgreSQL rule of the catalogue on its own example (shared/lint/rules.ts; the SQLite
 * rules' examples are workflows: electron/engine/lint.test.ts): the dangerous form gives
 * the rule's code, the safe form does not. Rules that read the live schema run against a real
 * PostgreSQL database made with the example's setup, and say they were not evaluated without one.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../../shared/lint/config.ts';
import { LINT_RULES, type LintCode, type LintRule } from '../../../../shared/lint/rules.ts';
import { freshDatabases } from '../../../../test/databases.ts';
import { lintSqlSources, postgresLiveFacts, type LiveFacts } from './lint.ts';

const fresh = freshDatabases();

async function live(setup: string | undefined): Promise<{ facts: LiveFacts; version: number }> {
  const db = await fresh('postgres', setup);
  const schema = await db.dialect.introspect(db.driver);
  return { facts: postgresLiveFacts(db.driver, schema), version: Number.parseInt(schema.version, 10) };
}

async function codes(sql: string, rule: LintRule, facts: LiveFacts | null, version = 17) {
  const r = await lintSqlSources([{ file: 'example.sql', text: sql }], {
    postgresVersion: version,
    thresholds: { ...DEFAULT_THRESHOLDS, ...rule.example.thresholds },
    live: facts,
    planned: false,
  });
  return { codes: r.findings.map((f) => f.code), notEvaluated: [...r.notEvaluated.keys()] };
}

describe('the catalogue examples', () => {
  for (const [code, rule] of Object.entries(LINT_RULES) as [LintCode, LintRule][]) {
    if (rule.dialects === 'sqlite') continue;
    const withDb = rule.example.setup !== undefined;
    it(`${code}: the example is reported, its safe form is not${withDb ? ' (live database)' : ''}`, async () => {
      const onBad = withDb ? await live(rule.example.setup) : null;
      expect((await codes(rule.example.bad, rule, onBad?.facts ?? null, onBad?.version)).codes).toContain(code);
      const onGood = withDb ? await live(rule.example.setup) : null;
      expect((await codes(rule.example.good, rule, onGood?.facts ?? null, onGood?.version)).codes).not.toContain(code);
    });
    if (rule.needs === 'live schema') {
      it(`${code}: without --db it says it was not evaluated`, async () => {
        const r = await codes(rule.example.bad, rule, null);
        expect(r.codes).not.toContain(code);
        expect(r.notEvaluated).toContain(code);
      });
    }
  }
});
