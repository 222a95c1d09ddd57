/** docs/lint.md has one section per rule of the catalogue, exactly as scripts/lint-docs.ts writes it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, RULES_MARKER, ruleSections } from '../scripts/lint-docs.ts';
import { PLAN_RULES } from '../shared/plan-codes.ts';
import { LINT_RULES } from '../shared/lint/rules.ts';

describe('docs/lint.md', () => {
  it('holds the rule sections of the catalogue (run node --import tsx scripts/lint-docs.ts after changing a rule)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const at = doc.indexOf(RULES_MARKER);
    expect(at).toBeGreaterThan(0);
    expect(doc.slice(at + RULES_MARKER.length).trim()).toBe(ruleSections().trim());
  });

  it('codes follow the plan codes scheme, and a code in both catalogues means the same', () => {
    for (const [code, r] of Object.entries(LINT_RULES)) {
      expect(code).toMatch(/^DF[1-9]\d{2}$/);
      expect(r.why.length).toBeGreaterThan(40);
      expect(r.fix.length).toBeGreaterThan(10);
      const plan = (PLAN_RULES as Record<string, { title: string; fix: string; severity: string }>)[code];
      if (plan) expect([r.title, r.fix, r.severity]).toEqual([plan.title, plan.fix, plan.severity]);
    }
  });

  it('the family table of docs/lint.md names every rule code', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    const families = doc.slice(doc.indexOf('## Codes'), doc.indexOf('## What the findings'));
    const named = new Set<string>();
    for (const m of families.matchAll(/DF(\d{3})(?: to DF(\d{3}))?/g)) {
      const from = Number(m[1]);
      const to = Number(m[2] ?? m[1]);
      for (let n = from; n <= to; n++) named.add(`DF${n}`);
    }
    expect(Object.keys(LINT_RULES).filter((c) => !named.has(c))).toEqual([]);
  });
});
