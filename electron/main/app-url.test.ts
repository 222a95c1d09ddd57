import { describe, expect, it } from 'vitest';
import { isPopoutUrl } from './app-url.ts';

describe('isPopoutUrl', () => {
  it('admits only the app’s own index.html with ?popout=', () => {
    expect(isPopoutUrl('app://dataflow/index.html?popout=sql&channel=abc')).toBe(true);
    expect(isPopoutUrl('app://dataflow/index.html')).toBe(false);
    expect(isPopoutUrl('app://dataflow/other.html?popout=sql')).toBe(false);
    expect(isPopoutUrl('https://example.com/index.html?popout=sql')).toBe(false);
    expect(isPopoutUrl('app://evil/index.html?popout=sql')).toBe(false);
  });
});
