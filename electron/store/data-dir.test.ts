import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir.ts';

describe('the data folder', () => {
  it('is DATAFLOW_HOME when set, created owner-only', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'dataflow-home-')), 'nested', 'data');
    expect(resolveDataDir('/fallback/never', { DATAFLOW_HOME: home })).toBe(home);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it("is the host's default otherwise", () => {
    const fallback = join(mkdtempSync(join(tmpdir(), 'dataflow-home-')), 'userData');
    expect(resolveDataDir(fallback, { DATAFLOW_HOME: '  ' })).toBe(fallback);
    expect(existsSync(fallback)).toBe(true);
  });
});
