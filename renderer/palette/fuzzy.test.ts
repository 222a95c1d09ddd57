import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from './fuzzy.ts';

const TITLES = [
  'Save',
  'Save as…',
  'Show the SQL preview panel',
  'Export SQL',
  'Run from here: Plan',
  'Plan',
  'Select all',
];

describe('fuzzy filter', () => {
  it('matches the letters in order, spaces ignored, and marks where', () => {
    expect(fuzzyMatch('rfp', 'Run from here: Plan')?.positions).toEqual([0, 4, 15]);
    expect(fuzzyMatch('ex sql', 'Export SQL')?.positions).toEqual([0, 1, 7, 8, 9]);
    expect(fuzzyMatch('xq', 'Save')).toBeNull();
    expect(fuzzyMatch('', 'Save')).toEqual({ score: 0, positions: [] });
  });

  it('ranks word starts and runs first', () => {
    const order = (q: string) => fuzzyFilter(TITLES, q, (t) => t).map((r) => r.item);
    expect(order('ex sql')[0]).toBe('Export SQL');
    expect(order('plan')[0]).toBe('Plan');
    expect(order('sa')).toEqual(['Save', 'Save as…', 'Select all', 'Show the SQL preview panel']);
    expect(order('rfp')).toEqual(['Run from here: Plan']);
  });

  it('keeps the given order for a blank query', () => {
    expect(fuzzyFilter(TITLES, ' ', (t) => t).map((r) => r.item)).toEqual(TITLES);
  });
});
