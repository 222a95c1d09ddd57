/**
 * Electron's security checklist, applied once for the whole app: every web contents may not open
 * windows (but the app's own pop-out pages), navigate, or attach webviews; the session denies every permission and adds the CSP to
 * every response.
 */
import type { App, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isPopoutUrl } from './app-url.ts';

/**
 * A pop-out of the SQL preview or the diff: a window of its own. It inherits the opener's
 * webPreferences (window.ts: sandboxed, isolated, no Node); the three that matter most are repeated
 * so that no default could loosen them.
 */
const POPOUT_WINDOW: BrowserWindowConstructorOptions = {
  width: 960,
  height: 720,
  minWidth: 480,
  minHeight: 320,
  autoHideMenuBar: true,
  webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
};

export function lockDownContents(contents: WebContents): void {
  // Only the app's own pop-out pages open, as BrowserWindows (each locked down in turn by lockDownApp).
  contents.setWindowOpenHandler(({ url }) =>
    isPopoutUrl(url) ? { action: 'allow', overrideBrowserWindowOptions: POPOUT_WINDOW } : { action: 'deny' },
  );
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function lockDownApp(app: App): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
}

export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // The CSP is contentSecurityPolicy() of ../host/headers.ts written out, so that electronegativity evaluates it (headers.test.ts keeps the two equal).
  session.webRequest.onHeadersReceived((details, callback) => {
    // prettier-ignore
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"] }, // eng-disable CSP_GLOBAL_CHECK -- its one remark: 'self' is unsafe on an origin serving JSONP or uploads; app:// serves only the built renderer
    });
  });
}
