const KEY = 'anju.sessionEnded';

/** Remembers, across the redirect, that the login page appears because the session ended (not a fresh visit). */
export function markSessionEnded(): void {
  try {
    sessionStorage.setItem(KEY, '1');
  } catch {
    // Without storage the login page simply does not explain itself.
  }
}

/** True once after markSessionEnded. */
export function takeSessionEnded(): boolean {
  try {
    const v = sessionStorage.getItem(KEY) === '1';
    sessionStorage.removeItem(KEY);
    return v;
  } catch {
    return false;
  }
}
