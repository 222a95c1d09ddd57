import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './headers.ts';

describe('the security headers', () => {
  it('allow scripts only from the app itself, and no framing, plugins or forms', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(
      csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'connect-src': "'self'",
    });
    expect(csp).not.toMatch(/unsafe-eval|\*/);
    expect(contentSecurityPolicy(['ws://127.0.0.1:4000'])).toContain("connect-src 'self' ws://127.0.0.1:4000");
    expect(securityHeaders()).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
  });

  it('are the ones the Electron session sets (written out there for electronegativity)', () => {
    const source = readFileSync(new URL('../main/security.ts', import.meta.url), 'utf8');
    const literal = /'Content-Security-Policy': \[\s*"([^"]+)",?\s*\]/.exec(source)?.[1];
    expect(literal).toBe(contentSecurityPolicy());
  });
});
