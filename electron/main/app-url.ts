/**
 * The window's origin: the built renderer is served on a privileged custom scheme
 * (`app://dataflow/`), not file://, so the page can reach nothing but its own files.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dataflow';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** True for a URL of the app's own pages (the only origin whose frames may call the handlers). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === ''
    );
  } catch {
    return false;
  }
}

/** A pop-out window's page (renderer/popout): the app's own index.html with `?popout=`; the only page a window may open. */
export function isPopoutUrl(url: string): boolean {
  if (!isAppUrl(url)) return false;
  const u = new URL(url);
  return u.pathname === '/index.html' && u.searchParams.has('popout');
}
