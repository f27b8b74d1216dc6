import type { OwnerBilling, OwnerLine, OwnerPayResult } from './api.ts';

/**
 * The pure parts of paying on the phone: the idempotency key of one attempt, where the provider's pay link leads,
 * remembering which payment a trade number belongs to, grouping bills by period and adding up a selection.
 */

/**
 * A fresh idempotency key (32 hex digits). crypto.getRandomValues, not randomUUID: a phone on the office's plain-http
 * address is not a secure context, where randomUUID is missing.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `pay-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const STORE_KEY = 'anju.billing.pending';

/** Remembers the payment behind a trade number, for the pay page when a provider's link carries only the number. */
export function rememberPayment(tradeNo: string, paymentId: string): void {
  try {
    const all = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '{}') as Record<string, string>;
    all[tradeNo] = paymentId;
    sessionStorage.setItem(STORE_KEY, JSON.stringify(Object.fromEntries(Object.entries(all).slice(-20))));
  } catch {
    // Private mode without storage: the pay link carries the id as well.
  }
}

export function recalledPayment(tradeNo: string): string | null {
  try {
    return (JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '{}') as Record<string, string>)[tradeNo] ?? null;
  } catch {
    return null;
  }
}

/** Where to go after starting a payment. */
export type PayTarget =
  | { kind: 'result'; paymentId: string }
  /** A page of this site (the sandbox's): a router path under /m, with the payment id added. */
  | { kind: 'route'; path: string }
  /** The provider's own page (Alipay's gateway). */
  | { kind: 'external'; url: string }
  /** WeChat Pay's native QR code, shown on the phone. */
  | { kind: 'qr'; code: string };

export function payTarget(result: OwnerPayResult, origin: string): PayTarget {
  if (result.status !== 'pending') return { kind: 'result', paymentId: result.paymentId };
  if (result.payUrl) {
    const url = new URL(result.payUrl, origin);
    if (url.origin === origin && url.pathname.startsWith('/m/')) {
      url.searchParams.set('paymentId', result.paymentId);
      return { kind: 'route', path: `${url.pathname.slice(2)}${url.search}` };
    }
    return { kind: 'external', url: url.href };
  }
  if (result.qrCode) return { kind: 'qr', code: result.qrCode };
  return { kind: 'result', paymentId: result.paymentId };
}

export const isOpen = (l: OwnerLine) => l.status === 'unpaid' || l.status === 'partial';

/** Lines grouped by period, in the order they come (the server sorts by due date). */
export function byPeriod(lines: OwnerLine[]): Array<{ periodKey: string; lines: OwnerLine[] }> {
  const groups = new Map<string, OwnerLine[]>();
  for (const l of lines) groups.set(l.periodKey, [...(groups.get(l.periodKey) ?? []), l]);
  return [...groups].map(([periodKey, ls]) => ({ periodKey, lines: ls }));
}

/** What the selected lines still owe, in 分, with the late fees paying them today adds (the server charges the same). */
export function selectedOwed(lines: OwnerLine[], selected: ReadonlySet<string>): number {
  return lines.reduce((sum, l) => (selected.has(l.id) && isOpen(l) ? sum + l.owedFen + l.lateFeeAccruedFen : sum), 0);
}

/** The late fees among what the selected lines owe, in 分. */
export function selectedLateFees(lines: OwnerLine[], selected: ReadonlySet<string>): number {
  return lines.reduce((sum, l) => (selected.has(l.id) && isOpen(l) ? sum + l.lateFeeAccruedFen : sum), 0);
}

/**
 * The communities where I have a room, for the 公示 page: from the rooms once the server names their community,
 * else from my payments (each names its community).
 */
export function ownerCommunities(billing: OwnerBilling): Array<{ id: string; name: string }> {
  const out = new Map<string, string>();
  for (const r of billing.rooms) out.set(r.communityId, r.community);
  for (const p of billing.payments) if (!out.has(p.communityId)) out.set(p.communityId, p.communityName);
  return [...out].map(([id, name]) => ({ id, name }));
}
