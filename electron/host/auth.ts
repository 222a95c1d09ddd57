/**
 * The web host's gate: a random token (in the URL the app prints, then in a same-site cookie for
 * the page's own requests), compared in constant time; the Host header must be the loopback
 * address and port (no DNS rebinding); a WebSocket's Origin, when sent, must be that origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality (both sides hashed first, so lengths leak nothing either). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie that carries the token for the page's own requests; named per port. */
export function tokenCookieName(port: number): string {
  return `dataflow_token_${port}`;
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; message: string };

export function checkRequest(req: IncomingMessage, port: number, token: string): Verdict {
  const origin = `http://127.0.0.1:${port}`;
  if (req.headers.host !== `127.0.0.1:${port}`)
    return { ok: false, status: 403, message: `refused: the Host must be 127.0.0.1:${port}` };
  if (req.headers.origin !== undefined && req.headers.origin !== origin)
    return { ok: false, status: 403, message: `refused: requests must come from ${origin}` };
  const url = new URL(req.url ?? '/', origin);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) {
    return tokensEqual(fromQuery, token)
      ? { ok: true, viaQuery: true }
      : { ok: false, status: 401, message: 'refused: wrong token; open the address the app printed when it started' };
  }
  const fromCookie = cookie(req, tokenCookieName(port));
  if (fromCookie !== null && tokensEqual(fromCookie, token)) return { ok: true, viaQuery: false };
  return {
    ok: false,
    status: 401,
    message: 'refused: this address needs the token; open the address the app printed when it started',
  };
}
