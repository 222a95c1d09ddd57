/**
 * Reading a `postgres://` URL without ever showing its password. A password (or user name)
 * holding `/`, `#`, `?` or `@` unescaped moves the URL's parts: `postgres://u:pa/ss@h/db` reads
 * as host `u`, port `pa`, path `/ss@h/db`, so neither a URL parser nor a redaction can tell where
 * the password ends. Such URLs are refused (`postgresUrlProblem`) with a message that does not
 * quote them and says how to write the password; every other URL is shown only as its label
 * (`postgresLabel`: scheme, user, host, port and database, never the password, the parameters or
 * a fragment).
 */

/** How to write a password with URL delimiters; part of every message about an unreadable URL. */
export const PERCENT_ENCODE_HINT =
  'percent-encode the user name and password (/ as %2F, @ as %40, # as %23, ? as %3F, : as %3A, % as %25, ' +
  'e.g. postgres://me:p%40ss%2Fword@localhost:5432/db), or give the password as a parameter (?password=...)';

/** The URL as node-postgres reads it: an empty host (`postgres://u:p@/db`, the local socket) allowed. */
function parse(conn: string): URL | null {
  try {
    return new URL(conn);
  } catch {
    try {
      return new URL(conn.replace('@/', '@localhost/'));
    } catch {
      return null;
    }
  }
}

/**
 * Why the URL cannot be read safely, or null: it does not parse, holds a malformed `%` escape,
 * a fragment (`#`), or an `@` after its host (each the sign of a password holding a delimiter
 * unescaped). The message never quotes the URL.
 */
export function postgresUrlProblem(conn: string): string | null {
  const url = parse(conn);
  const why = !url
    ? 'it does not parse as a URL'
    : /%(?![0-9a-f]{2})/i.test(conn)
      ? 'it holds a % that does not start an escape (%XX)'
      : conn.includes('#')
        ? 'it holds a #'
        : `${url.pathname}${url.search}`.includes('@')
          ? 'it holds an @ after its host'
          : null;
  return why ? `the PostgreSQL URL cannot be read (${why}): ${PERCENT_ENCODE_HINT}` : null;
}

/** `postgres://user@host:port/database`: the URL without its password, parameters or fragment. */
export function postgresLabel(conn: string): string {
  const url = postgresUrlProblem(conn) === null ? parse(conn) : null;
  if (!url) return 'postgres://(unreadable url)';
  return `postgres://${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
}
