/** docs/plan-rules.md lists every plan problem code exactly as the catalogue (shared/plan-codes.ts) defines it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_RULES } from '../../../shared/plan-codes.ts';

const DATABASE = { both: 'both', postgres: 'PostgreSQL', sqlite: 'SQLite' } as const;

describe('docs/plan-rules.md', () => {
  it('has one row per code, in order, with its severity, database, meaning and fix', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/plan-rules.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| DF\d{3} \|/.test(l));
    expect(rows).toEqual(
      Object.entries(PLAN_RULES).map(
        ([code, r]) => `| ${code} | ${r.severity} | ${DATABASE[r.dialects]} | ${r.title} | ${r.fix} |`,
      ),
    );
  });

  it('codes are DF and three digits, each title and fix written out', () => {
    for (const [code, r] of Object.entries(PLAN_RULES)) {
      expect(code).toMatch(/^DF[1-9]\d{2}$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(5);
    }
  });
});
