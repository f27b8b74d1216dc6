const KEY = 'anju.sessionEnded';

/** Remembers, across the redirect, that the login page appears because the session ended (not a fresh visit). */
export function markSessionEnded(): void {
  try {
    sessionStorage.setItem(KEY, '1');
  } catch {
    // Without storage the login page simply does not explain itself.
  }
}

export function sessionEnded(): boolean {
  try {
    return sessionStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function clearSessionEnded(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to clear.
  }
}
