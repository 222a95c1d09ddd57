/**
 * The order vitest starts the test files in: the longest first (by test/durations.json, written by
 * scripts/test-durations.ts), files it does not list before all (a new file may be long), so that
 * the workers end together instead of one running a long file alone at the end. Vitest's own
 * order needs the timings of an earlier run, which a clean clone does not have: it starts the
 * largest files first, and a short file of long tests (the kill tests) started last.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const durations = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8')) as Record<
  string,
  number
>;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (spec: TestSpecification) =>
      durations[relative(this.ctx.config.root, spec.moduleId)] ?? Number.POSITIVE_INFINITY;
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
