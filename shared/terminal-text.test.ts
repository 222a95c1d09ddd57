import { describe, expect, it } from 'vitest';
import { terminalJson, terminalText } from './terminal-text.ts';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('terminalText', () => {
  it('shows every control character escaped, keeping newlines, tabs and other text', () => {
    expect(terminalText('a\x1b[2Jb\x07c\rd\x00e\x7ff\x9bg\u202eh\ti\nj é 日本')).toBe(
      'a\\e[2Jb\\x07c\\rd\\0e\\x7ff\\x9bg\\u202eh\ti\nj é 日本',
    );
    for (let c = 0; c < 0x100; c++) {
      const shown = terminalText(String.fromCharCode(c));
      expect(shown).not.toMatch(CONTROL);
    }
  });
});

describe('terminalJson', () => {
  it('escapes DEL, C1 and bidirectional marks as JSON escapes; the JSON reads back the same value', () => {
    const value = { name: 'x\x1b\x7f\x9b\u2066y', n: [1, 'z'] };
    const json = terminalJson(value);
    expect(json).not.toMatch(CONTROL);
    expect(json).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(json).toContain('x\\u001b\\u007f\\u009b\\u2066y');
    expect(JSON.parse(json)).toEqual(value);
  });
});
