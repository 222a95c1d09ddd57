/** The app:// scheme: the built renderer's files with the security headers, nothing else. */
import { readFileSync } from 'node:fs';
import type { Protocol } from 'electron';
import { securityHeaders } from '../host/headers.ts';
import { resolveStatic } from '../host/static-files.ts';
import { APP_HOST, APP_SCHEME } from './app-url.ts';

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppScheme(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST && request.method === 'GET' ? resolveStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404, headers: securityHeaders() });
    return new Response(readFileSync(file.path), {
      headers: { ...securityHeaders(), 'Content-Type': file.contentType },
    });
  });
}
