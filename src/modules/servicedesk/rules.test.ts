import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TicketKind, TicketStatus } from '../../db/schema-service-desk.ts';
import {
  clockState,
  mayAct,
  needsApproval,
  nextStatus,
  pickDispatchRule,
  pickPolicy,
  returnVisitFor,
  roundRobinPick,
  sampleBucket,
  type DispatchRuleCandidate,
  type PolicyCandidate,
  type Role,
  type TicketAction,
} from './rules.ts';

/**
 * The service desk's pure rules, checked against tables written out here by hand (not derived from TRANSITIONS):
 * a change to the lifecycle must change this file too.
 */

const STATUSES: TicketStatus[] = ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'visited', 'closed', 'cancelled'];
const KINDS: TicketKind[] = ['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService'];
const ROLES: Role[] = ['desk', 'assignee', 'worker', 'reporter', 'visitor', 'system'];

type Expect = { from: TicketStatus[]; to: TicketStatus | 'same' | 'previous'; byKind?: Partial<Record<TicketKind, TicketStatus[]>>; by: Role[] };

const ACTIVE: TicketStatus[] = ['accepted', 'dispatched', 'arrived', 'inProgress'];

/** The lifecycle of DOMAIN.md §4 as the desk works it. */
const EXPECTED: Record<TicketAction, Expect> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['desk'] },
  dispatch: { from: ['submitted', 'accepted', 'dispatched'], to: 'dispatched', by: ['desk'] },
  grab: { from: ['submitted', 'accepted'], to: 'dispatched', by: ['worker'] },
  acknowledge: { from: ['dispatched'], to: 'same', by: ['assignee'] },
  transfer: { from: ['dispatched', 'arrived', 'inProgress'], to: 'dispatched', by: ['desk', 'assignee'] },
  handBack: { from: ['dispatched', 'arrived'], to: 'accepted', by: ['assignee'] },
  arrive: { from: ['dispatched'], to: 'arrived', by: ['assignee'] },
  start: { from: ['arrived'], to: 'inProgress', by: ['assignee'] },
  reply: { from: ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress'], to: 'same', by: ['desk', 'assignee'] },
  complete: {
    from: ['arrived', 'inProgress'],
    byKind: { complaint: ACTIVE, inquiry: ['submitted', ...ACTIVE] },
    to: 'completed',
    by: ['desk', 'assignee'],
  },
  confirm: { from: ['completed'], to: 'confirmed', by: ['reporter', 'system'] },
  rework: { from: ['completed', 'confirmed'], to: 'dispatched', by: ['reporter', 'visitor'] },
  returnVisit: { from: ['completed', 'confirmed'], to: 'visited', by: ['visitor', 'reporter'] },
  close: { from: ['confirmed', 'visited'], to: 'closed', by: ['desk', 'system'] },
  pause: { from: ACTIVE, to: 'paused', by: ['desk', 'assignee'] },
  resume: { from: ['paused'], to: 'previous', by: ['desk', 'assignee'] },
  cancel: { from: ['submitted', 'accepted', 'dispatched', 'arrived', 'paused'], to: 'cancelled', by: ['desk', 'reporter'] },
};

const ACTIONS = Object.keys(EXPECTED) as TicketAction[];

describe('nextStatus: every action × status × kind', () => {
  const cases: Array<[TicketAction, TicketStatus, TicketKind, TicketStatus | null]> = [];
  for (const action of ACTIONS) {
    const e = EXPECTED[action];
    for (const kind of KINDS) {
      const from = e.byKind?.[kind] ?? e.from;
      for (const status of STATUSES) {
        let want: TicketStatus | null = null;
        if (from.includes(status)) want = e.to === 'same' ? status : e.to === 'previous' ? 'inProgress' : e.to;
        cases.push([action, status, kind, want]);
      }
    }
  }

  it('covers 17 actions × 11 statuses × 5 kinds', () => {
    expect(cases).toHaveLength(17 * 11 * 5);
  });

  it.each(cases)('%s from %s (%s) → %s', (action, status, kind, want) => {
    expect(nextStatus(action, status, kind, 'inProgress')).toBe(want);
  });

  it('resume returns to the status before the pause, whichever it was', () => {
    for (const before of ACTIVE) expect(nextStatus('resume', 'paused', 'homeRepair', before)).toBe(before);
  });

  it('a complaint or inquiry can be completed at the desk without a site visit; a repair cannot', () => {
    expect(nextStatus('complete', 'accepted', 'complaint')).toBe('completed');
    expect(nextStatus('complete', 'submitted', 'complaint')).toBeNull();
    expect(nextStatus('complete', 'submitted', 'inquiry')).toBe('completed');
    expect(nextStatus('complete', 'dispatched', 'homeRepair')).toBeNull();
    expect(nextStatus('complete', 'dispatched', 'paidService')).toBeNull();
  });

  it('nothing leaves closed or cancelled', () => {
    for (const action of ACTIONS) for (const kind of KINDS) {
      expect(nextStatus(action, 'closed', kind, 'inProgress')).toBeNull();
      expect(nextStatus(action, 'cancelled', kind, 'inProgress')).toBeNull();
    }
  });
});

describe('mayAct by role', () => {
  const cases: Array<[TicketAction, Role, boolean]> = [];
  for (const action of ACTIONS) for (const role of ROLES) cases.push([action, role, EXPECTED[action].by.includes(role)]);

  it.each(cases)('%s by %s → %s', (action, role, want) => {
    expect(mayAct(action, [role])).toBe(want);
  });

  it('any one of the caller roles suffices; none is refused', () => {
    expect(mayAct('arrive', ['worker', 'assignee'])).toBe(true);
    expect(mayAct('arrive', ['worker', 'desk', 'visitor'])).toBe(false);
    expect(mayAct('accept', [])).toBe(false);
  });
});

describe('clockState', () => {
  const due = new Date('2026-10-10T09:30:00Z');
  const warn = new Date('2026-10-09T09:30:00Z');
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

  it.each([
    ['met exactly at due', { dueAt: due, warnAt: warn, doneAt: due }, ms(due, 5000), 'met'],
    ['met early, looked at later', { dueAt: due, warnAt: warn, doneAt: ms(warn, -1) }, ms(due, 86_400_000), 'met'],
    ['met late 1 ms after due', { dueAt: due, warnAt: warn, doneAt: ms(due, 1) }, ms(due, 1), 'metLate'],
    ['running before the warning point', { dueAt: due, warnAt: warn, doneAt: null }, ms(warn, -1), 'running'],
    ['at risk at the warning instant', { dueAt: due, warnAt: warn, doneAt: null }, warn, 'atRisk'],
    ['at risk at the due instant itself', { dueAt: due, warnAt: warn, doneAt: null }, due, 'atRisk'],
    ['overdue 1 ms after due', { dueAt: due, warnAt: warn, doneAt: null }, ms(due, 1), 'overdue'],
    ['no warning point: running until due', { dueAt: due, warnAt: null, doneAt: null }, due, 'running'],
    ['no warning point: overdue after', { dueAt: due, warnAt: null, doneAt: null }, ms(due, 1), 'overdue'],
    ['no due date', { dueAt: null, warnAt: null, doneAt: null }, due, null],
    ['no due date even when done', { dueAt: null, warnAt: null, doneAt: due }, due, null],
  ] as const)('%s', (_name, c, now, want) => {
    expect(clockState(c, now)).toBe(want);
  });
});

describe('pickPolicy', () => {
  const m = (amount: number) => ({ resolve: { amount, unit: 'minutes' as const } });
  const base = { communityId: null, categoryId: null, urgency: null, severity: null } as const;
  const policies: PolicyCandidate[] = [
    { id: 'kind', kind: 'publicRepair', ...base, clocks: m(1) },
    { id: 'severity', kind: 'publicRepair', ...base, severity: 'major', clocks: m(2) },
    { id: 'urgency', kind: 'publicRepair', ...base, urgency: 'urgent', clocks: m(3) },
    { id: 'category', kind: 'publicRepair', ...base, categoryId: 'cat-light', clocks: m(4) },
    { id: 'community', kind: 'publicRepair', ...base, communityId: 'c1', clocks: m(5) },
    { id: 'community+category', kind: 'publicRepair', ...base, communityId: 'c1', categoryId: 'cat-light', clocks: m(6) },
    { id: 'other-kind', kind: 'homeRepair', ...base, clocks: m(7) },
    { id: 'other-community', kind: 'publicRepair', ...base, communityId: 'c2', categoryId: 'cat-light', urgency: 'urgent', severity: 'major', clocks: m(8) },
  ];
  const tk = { communityId: 'c9', kind: 'publicRepair' as const, categoryId: 'cat-other', urgency: 'normal' as const, severity: 'ordinary' as const };

  it.each([
    ['only the kind matches', tk, 'kind'],
    ['severity over kind', { ...tk, severity: 'major' as const }, 'severity'],
    ['urgency over severity', { ...tk, severity: 'major' as const, urgency: 'urgent' as const }, 'urgency'],
    ['category over urgency and severity', { ...tk, categoryId: 'cat-light', severity: 'major' as const, urgency: 'urgent' as const }, 'category'],
    ['the community over every company-wide policy', { ...tk, communityId: 'c1', categoryId: 'cat-other', severity: 'major' as const, urgency: 'urgent' as const }, 'community'],
    ['community + category over community', { ...tk, communityId: 'c1', categoryId: 'cat-light', urgency: 'urgent' as const }, 'community+category'],
    ["another community's policy never applies, however specific", { ...tk, communityId: 'c3', categoryId: 'cat-light', urgency: 'urgent' as const, severity: 'major' as const }, 'category'],
    ['another kind is excluded', { ...tk, kind: 'homeRepair' as const }, 'other-kind'],
  ])('%s', (_name, ticket, want) => {
    expect(pickPolicy(policies, ticket)?.id).toBe(want);
  });

  it('returns null when no policy names the kind', () => {
    expect(pickPolicy(policies, { ...tk, kind: 'inquiry' })).toBeNull();
    expect(pickPolicy([], tk)).toBeNull();
  });

  it('a policy naming a different urgency, category or severity is excluded, not merely ranked lower', () => {
    const only: PolicyCandidate[] = [{ id: 'urgent-only', kind: 'publicRepair', ...base, urgency: 'urgent', clocks: m(1) }];
    expect(pickPolicy(only, tk)).toBeNull();
    expect(pickPolicy([{ id: 'cat', kind: 'publicRepair', ...base, categoryId: 'x', clocks: m(1) }], tk)).toBeNull();
    expect(pickPolicy([{ id: 'sev', kind: 'publicRepair', ...base, severity: 'major', clocks: m(1) }], tk)).toBeNull();
  });
});

describe('pickDispatchRule', () => {
  const r = (id: string, priority: number, cond: Partial<DispatchRuleCandidate> = {}): DispatchRuleCandidate => ({ id, priority, kind: null, categoryId: null, buildingId: null, zoneId: null, ...cond });
  const tk = { kind: 'homeRepair' as const, categoryId: 'cat', buildingId: 'b1', zoneId: 'z1' };

  it('the lowest priority number wins among matching rules, whatever the order given', () => {
    const rules = [r('late', 200), r('first', 10, { kind: 'homeRepair' }), r('middle', 50)];
    expect(pickDispatchRule(rules, tk)?.id).toBe('first');
    expect(pickDispatchRule([...rules].reverse(), tk)?.id).toBe('first');
  });

  it('equal priorities are decided by id, so the choice is stable', () => {
    expect(pickDispatchRule([r('b', 1), r('a', 1)], tk)?.id).toBe('a');
  });

  it('null conditions match anything', () => {
    expect(pickDispatchRule([r('any', 1)], { kind: 'complaint', categoryId: 'x', buildingId: null, zoneId: null })?.id).toBe('any');
  });

  it.each([
    ['kind', { kind: 'publicRepair' as const }],
    ['category', { categoryId: 'other' }],
    ['building', { buildingId: 'b2' }],
    ['zone', { zoneId: 'z2' }],
  ])('a rule naming another %s is skipped', (_name, cond) => {
    expect(pickDispatchRule([r('wrong', 1, cond), r('fallback', 9)], tk)?.id).toBe('fallback');
  });

  it('building and zone rules match the ticket’s building and zone; a ticket without a room matches only rules without them', () => {
    const rules = [r('zone', 2, { zoneId: 'z1' }), r('building', 1, { buildingId: 'b1' })];
    expect(pickDispatchRule(rules, tk)?.id).toBe('building');
    expect(pickDispatchRule(rules, { ...tk, buildingId: 'b9' })?.id).toBe('zone');
    expect(pickDispatchRule(rules, { ...tk, buildingId: null, zoneId: null })).toBeNull();
  });
});

describe('roundRobinPick', () => {
  const members = ['a', 'b', 'c'];
  it.each([
    [0, 'a', 1],
    [1, 'b', 2],
    [2, 'c', 3],
    [3, 'a', 1],
    [7, 'b', 2],
    [-1, 'c', 3],
  ])('cursor %i → %s, next %i', (cursor, member, next) => {
    expect(roundRobinPick(members, cursor)).toEqual({ member, next });
  });

  it('walks every member in turn and wraps around', () => {
    let cursor = 0;
    const got: string[] = [];
    for (let i = 0; i < 7; i++) {
      const p = roundRobinPick(members, cursor)!;
      got.push(p.member);
      cursor = p.next;
    }
    expect(got).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('a group that shrank still picks a member', () => {
    expect(roundRobinPick(['a'], 5)).toEqual({ member: 'a', next: 1 });
  });

  it('an empty group picks nobody', () => {
    expect(roundRobinPick([], 0)).toBeNull();
  });
});

describe('returnVisitFor', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => {
    const h = createHash('md5').update(`ticket-${i}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });

  it('every complaint, whatever the sample: ordinary optional, major mandatory', () => {
    for (const pct of [0, 50, 100]) {
      expect(returnVisitFor({ id: ids[0], kind: 'complaint', severity: 'ordinary' }, pct)).toEqual({ reason: 'complaint', mandatory: false });
      expect(returnVisitFor({ id: ids[0], kind: 'complaint', severity: 'major' }, pct)).toEqual({ reason: 'majorComplaint', mandatory: true });
    }
  });

  it('inquiries never, even at a 100 % sample', () => {
    for (const id of ids.slice(0, 200)) {
      expect(returnVisitFor({ id, kind: 'inquiry', severity: 'ordinary' }, 100)).toBeNull();
      expect(returnVisitFor({ id, kind: 'inquiry', severity: 'major' }, 100)).toBeNull();
    }
  });

  it('repairs and paid services: all at 100 %, none at 0 %', () => {
    for (const kind of ['homeRepair', 'publicRepair', 'paidService'] as const) {
      for (const id of ids.slice(0, 200)) {
        expect(returnVisitFor({ id, kind, severity: 'ordinary' }, 100)).toEqual({ reason: 'sample', mandatory: false });
        expect(returnVisitFor({ id, kind, severity: 'ordinary' }, 0)).toBeNull();
      }
    }
  });

  it('the sample is stable per ticket id', () => {
    for (const id of ids.slice(0, 500)) {
      const first = returnVisitFor({ id, kind: 'homeRepair', severity: 'ordinary' }, 37);
      expect(returnVisitFor({ id, kind: 'homeRepair', severity: 'ordinary' }, 37)).toEqual(first);
      expect(returnVisitFor({ id, kind: 'publicRepair', severity: 'major' }, 37)).toEqual(first);
      expect(sampleBucket(id)).toBe(sampleBucket(id));
    }
  });

  it('a larger percentage keeps every ticket a smaller one picked', () => {
    for (const id of ids.slice(0, 1000)) {
      if (returnVisitFor({ id, kind: 'homeRepair', severity: 'ordinary' }, 20)) expect(returnVisitFor({ id, kind: 'homeRepair', severity: 'ordinary' }, 50)).not.toBeNull();
    }
  });

  it.each([10, 20, 50, 80])('picks ≈ %i %% of 10,000 repairs (±3 points)', (pct) => {
    const picked = ids.filter((id) => returnVisitFor({ id, kind: 'homeRepair', severity: 'ordinary' }, pct)).length;
    expect(Math.abs((picked / ids.length) * 100 - pct)).toBeLessThanOrEqual(3);
  });

  it('buckets are 0–99', () => {
    const buckets = new Set(ids.map(sampleBucket));
    expect(Math.min(...buckets)).toBe(0);
    expect(Math.max(...buckets)).toBe(99);
  });
});

describe('needsApproval', () => {
  it.each([
    ['small', false],
    ['medium', true],
    ['major', true],
    [null, false],
  ] as const)('%s → %s', (size, want) => {
    expect(needsApproval(size)).toBe(want);
  });
});
