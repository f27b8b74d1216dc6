import type { TicketDetail, TicketStatus } from './api.ts';

/** Tag colour of each status: waiting (gold), being handled (blue), done (green), ended (grey). */
export const STATUS_COLOR: Record<TicketStatus, string> = {
  submitted: 'gold',
  accepted: 'processing',
  dispatched: 'processing',
  arrived: 'cyan',
  inProgress: 'blue',
  paused: 'orange',
  completed: 'success',
  confirmed: 'success',
  visited: 'success',
  closed: 'default',
  cancelled: 'default',
};

export const TICKET_KINDS = ['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService'] as const;

/**
 * Rating tags are stored as the Chinese words (the business's own language, so reports do not mix languages);
 * the English page shows its own words for the same tag.
 */
export const RATING_TAGS = [
  { key: 'punctual', value: '准时' },
  { key: 'professional', value: '专业' },
  { key: 'tidy', value: '干净' },
  { key: 'friendly', value: '态度好' },
  { key: 'fast', value: '效率高' },
] as const;

/** Where the ticket is: the room, or the public place reported. */
export function placeOf(t: Pick<TicketDetail, 'roomLabel' | 'location' | 'communityName'>): string {
  return [t.communityName, t.roomLabel, t.location].filter(Boolean).join(' · ');
}

/** A telephone number one can dial (the technician may see the reporter's number masked). */
export function dialable(phone: string | null): phone is string {
  return Boolean(phone && /^\+?\d[\d-]{5,}$/.test(phone));
}

/** ¥ from 分, and 分 from a yuan amount typed in a form. */
export const yuan = (fen: number) => (fen / 100).toFixed(2);
export const toFen = (y: number) => Math.round(y * 100);
