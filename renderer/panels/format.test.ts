import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatEta, formatNumber, formatOffset, formatPct } from './format.ts';

describe('panel formats', () => {
  it('formats ETAs for a progress bar', () => {
    expect(formatEta(null)).toBe('ETA unknown');
    expect(formatEta(0.1)).toBe('ETA < 1 s');
    expect(formatEta(42.4)).toBe('ETA 42 s');
    expect(formatEta(125)).toBe('ETA 2 min 5 s');
    expect(formatEta(3600 + 120)).toBe('ETA 1 h 2 min');
    expect(formatEta(7200)).toBe('ETA 2 h');
  });

  it('formats durations, sizes, numbers, percentages and log offsets', () => {
    expect([formatDuration(40.7), formatDuration(2400), formatDuration(60_000), formatDuration(185_000)]).toEqual([
      '41 ms',
      '2.4 s',
      '1 min',
      '3 min 5 s',
    ]);
    expect([formatBytes(512), formatBytes(204_800), formatBytes(1_572_864), formatBytes(-86_016)]).toEqual([
      '512 B',
      '200 KiB',
      '1.5 MiB',
      '-84 KiB',
    ]);
    expect([formatNumber(3000), formatNumber(0.3414), formatNumber(22142.1)]).toEqual(['3,000', '0.341', '22,142.1']);
    expect([formatPct(42), formatPct(-80.9), formatPct(0), formatPct(null)]).toEqual(['+42%', '-80.9%', '0%', 'n/a']);
    expect(formatOffset(41.2)).toBe('+0.041 s');
  });
});
