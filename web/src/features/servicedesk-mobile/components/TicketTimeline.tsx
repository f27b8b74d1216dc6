import { Tag } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TicketDetail, TicketEvent } from '../api.ts';
import type { QueuedStep } from '../offlineQueue.ts';
import { useTagLabel } from './OwnerPanels.tsx';

const ASSIGNING = new Set(['dispatch', 'transfer', 'grab']);
const KNOWN = new Set([
  'create', 'accept', 'dispatch', 'pool', 'grab', 'acknowledge', 'transfer', 'handBack', 'arrive', 'start', 'reply', 'complete', 'confirm',
  'rework', 'returnVisit', 'visitUnreachable', 'close', 'pause', 'resume', 'cancel', 'extend', 'materials', 'photos', 'vote',
]);

type Payload = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * One event in words a resident understands: 已受理, 已派单给 周强, 师傅已到场… The timeline names the person a
 * ticket went to only when the server says who (the ticket's current assignee, or the event's own payload).
 */
function describe(t: TFunction, e: TicketEvent, ticket: TicketDetail, lastAssigning: string | undefined): string {
  const p = e.payload as Payload;
  const k = 'servicedeskMobile.events';
  switch (e.action) {
    case 'dispatch':
    case 'transfer': {
      if (str(p.poolGroupId)) return t(`${k}.pool`);
      const named = str(p.assigneeId) && p.assigneeId === ticket.assigneeId ? ticket.assigneeName : e.id === lastAssigning && !str(p.assigneeId) ? ticket.assigneeName : null;
      const auto = p.auto === true;
      if (named) return t(auto ? `${k}.dispatchAutoTo` : e.action === 'transfer' ? `${k}.transferTo` : `${k}.dispatchTo`, { name: named });
      return t(auto ? `${k}.dispatchAuto` : e.action === 'transfer' ? `${k}.transfer` : `${k}.dispatch`);
    }
    case 'grab':
      return t(`${k}.grab`, { name: e.actorName ?? '' });
    case 'confirm':
      return typeof p.rating === 'number' ? t(`${k}.confirmRated`, { rating: p.rating }) : t(`${k}.confirm`);
    case 'returnVisit':
      return typeof p.satisfaction === 'number' ? t(`${k}.returnVisitRated`, { rating: p.satisfaction }) : t(`${k}.returnVisit`);
    case 'vote':
      return t(p.decision === 'reject' ? `${k}.voteReject` : `${k}.voteApprove`);
    case 'close':
      return t(p.auto === true ? `${k}.closeAuto` : `${k}.close`);
    default:
      return KNOWN.has(e.action) ? t(`${k}.${e.action as 'create'}`) : e.action;
  }
}

/** Extra words under an event: the reason, the note, the rating tags. */
function detailOf(e: TicketEvent, tagLabel: (tag: string) => string): string | null {
  const p = e.payload as Payload;
  const parts: string[] = [];
  if (Array.isArray(p.tags) && p.tags.length) parts.push(p.tags.map((x) => tagLabel(String(x))).join(' · '));
  if (e.note) parts.push(e.note);
  return parts.length ? parts.join('\n') : null;
}

/**
 * The ticket's story, newest first, as a vertical line of dots: what happened, who did it and when; the
 * technician's steps still waiting to be synced come first, marked 待同步.
 */
export function TicketTimeline({ ticket, pending = [] }: { ticket: TicketDetail; pending?: readonly QueuedStep[] }) {
  const { t } = useTranslation();
  const tagLabel = useTagLabel();
  const lastAssigning = [...ticket.timeline].reverse().find((e) => ASSIGNING.has(e.action))?.id;
  const events = [...ticket.timeline].reverse();
  return (
    <ol className="m-timeline" data-testid="m-timeline">
      {[...pending].reverse().map((s) => (
        <li key={s.id} className="m-timeline-item pending" data-testid="m-timeline-pending" data-action={s.step}>
          <div className="m-timeline-title">
            {t(`servicedeskMobile.steps.${s.step}`)} <Tag color="warning" style={{ marginInlineStart: 6 }}>{t('servicedeskMobile.unsynced')}</Tag>
          </div>
          <div className="m-timeline-meta">{dayjs(s.at).format('MM-DD HH:mm')}</div>
        </li>
      ))}
      {events.map((e, i) => {
        const detail = detailOf(e, tagLabel);
        return (
          <li key={e.id} className={i === 0 && !pending.length ? 'm-timeline-item latest' : 'm-timeline-item'} data-testid="m-timeline-event" data-action={e.action}>
            <div className="m-timeline-title">{describe(t, e, ticket, lastAssigning)}</div>
            <div className="m-timeline-meta">
              {[e.actorName, dayjs(e.at).format('MM-DD HH:mm')].filter(Boolean).join(' · ')}
            </div>
            {detail && <div className="m-timeline-note">{detail}</div>}
          </li>
        );
      })}
    </ol>
  );
}
