/** The connection form's tags: typed comma-separated, sent as a list, shown back as typed. */
import { describe, expect, it } from 'vitest';
import { checkValues, emptyValues, toInput, valuesOf } from './connection-form.ts';

describe('connection tags', () => {
  it('are sent as a trimmed list, none when empty, and read back comma-separated', () => {
    const values = { ...emptyValues('sqlite'), name: 'eu-1', path: '/data/eu-1.db', tags: ' eu , tenant,, ' };
    const input = toInput(values);
    expect(input).toMatchObject({ tags: ['eu', 'tenant'] });
    expect('tags' in toInput({ ...values, tags: ' , ' })).toBe(false);
    const saved = { ...input, id: 'c1', kind: 'sqlite' as const, path: '/data/eu-1.db', readOnly: false };
    expect(valuesOf({ ...saved, environment: null, demo: false, hasSecret: false, secretKept: null }).tags).toBe(
      'eu, tenant',
    );
  });

  it('refuses a tag longer than 40 characters on the Tags field', () => {
    const checked = checkValues({ ...emptyValues('sqlite'), name: 'x', path: '/x.db', tags: 'a'.repeat(41) });
    expect(checked).toMatchObject({ ok: false, errors: { tags: expect.stringContaining('Give up to 20 tags') } });
  });
});
