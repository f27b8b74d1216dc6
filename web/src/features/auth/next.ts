/**
 * Where to go after logging in, across the two apps (console at /, phone site at /m). A staff member who scans a QR
 * label on a phone that is not logged in reaches the phone site's login, goes on to the console's password login, and
 * must land back on the label's page. Only paths of this site are followed — never another origin.
 */

/** A `next` worth following: a path of this site ('/…', not '//host' or a backslash trick); else null. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  return next;
}

/** The console login link from the phone site's login page, carrying the phone page the person was going to. */
export function staffLoginHref(state: unknown): string {
  const from = safeNext((state as { from?: string } | null)?.from);
  return from && from !== '/login' ? `/login?next=${encodeURIComponent(`/m${from}`)}` : '/login';
}

/** Whether a path belongs to the phone site (another app: a full page load, not a router navigation). */
export function isPhonePath(path: string): boolean {
  return path === '/m' || path.startsWith('/m/');
}
