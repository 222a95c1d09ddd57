import { describe, expect, it } from 'vitest';
import { popoutOfPage, popoutUrl } from './popout-protocol.ts';

describe('pop-out pages', () => {
  it('are the editor page with ?popout= and a channel id, without the token', () => {
    const url = popoutUrl('http://127.0.0.1:4000/?token=secret#x', 'diff', 'c0ffee-1');
    expect(url).toBe('http://127.0.0.1:4000/?popout=diff&channel=c0ffee-1');
    expect(popoutOfPage(new URL(url).search)).toEqual({ panel: 'diff', channel: 'c0ffee-1' });
  });

  it('are not recognised with another panel or a malformed channel: the page is the editor then', () => {
    expect(popoutOfPage('?token=abc')).toBeNull();
    expect(popoutOfPage('?popout=inspector&channel=abc')).toBeNull();
    expect(popoutOfPage('?popout=sql')).toBeNull();
    expect(popoutOfPage('?popout=sql&channel=a%20b')).toBeNull();
  });
});
