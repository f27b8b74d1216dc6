import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  arrearsRoom,
  arrearsRoomQuery,
  arrearsSummary,
  arrearsSummaryQuery,
  collectionRateQuery,
  collectionRateResult,
  debtorQuery,
  debtors,
  putQuotaBody,
  quota,
  quotaQuery,
} from '../../../../src/modules/billing/arrears-schema.ts';
import type {
  assignBody,
  campaign,
  campaignDetail,
  campaignPreview,
  campaignQuery,
  collectionTask,
  createCampaignBody,
  debtorFilter,
  noticesBody,
  outcomeBody,
  taskQuery,
  CHANNELS,
  OUTCOMES,
} from '../../../../src/modules/billing/collection-schema.ts';
import type {
  createDisclosureEntryBody,
  createFundEntryBody,
  disclosure,
  disclosureEntry,
  disclosureEntryQuery,
  disclosureQuery,
  fundEntry,
  fundEntryPage,
  fundEntryQuery,
  fundSummary,
  fundSummaryQuery,
  FUND_KINDS,
} from '../../../../src/modules/billing/fund-schema.ts';
import type { ticketSummary } from '../../../../src/modules/servicedesk/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, request } from '../../lib/api.ts';

// ── Types, all from the server's schemas ──────────────────────────────────────────────────────────────────────
export type ArrearsSummary = z.infer<typeof arrearsSummary>;
export type ArrearsGroup = ArrearsSummary['rows'][number];
export type ArrearsRoom = z.infer<typeof arrearsRoom>;
export type Debtors = z.infer<typeof debtors>;
export type CollectionRateResult = z.infer<typeof collectionRateResult>;
export type CollectionRateRow = CollectionRateResult['rows'][number];
export type Quota = z.infer<typeof quota>;
export type Buckets = ArrearsGroup['buckets'];
export type BucketKey = keyof Buckets;

export type Campaign = z.infer<typeof campaign>;
export type CampaignDetail = z.infer<typeof campaignDetail>;
export type Recipient = CampaignDetail['recipients'][number];
export type CampaignPreview = z.infer<typeof campaignPreview>;
export type CollectionTask = z.infer<typeof collectionTask>;
export type Channel = (typeof CHANNELS)[number];
export type Outcome = (typeof OUTCOMES)[number];

export type FundEntry = z.infer<typeof fundEntry>;
export type FundEntryPage = z.infer<typeof fundEntryPage>;
export type FundSummary = z.infer<typeof fundSummary>;
export type FundKind = (typeof FUND_KINDS)[number];
export type DisclosureEntry = z.infer<typeof disclosureEntry>;
export type Disclosure = z.infer<typeof disclosure>;
export type TicketSummary = z.infer<typeof ticketSummary>;

export type ArrearsSummaryQuery = z.input<typeof arrearsSummaryQuery>;
export type ArrearsRoomQuery = Partial<z.input<typeof arrearsRoomQuery>>;
export type DebtorQuery = z.input<typeof debtorQuery>;
export type CollectionRateQuery = z.input<typeof collectionRateQuery>;
export type QuotaQuery = z.input<typeof quotaQuery>;
export type PutQuotaInput = z.input<typeof putQuotaBody>;
export type DebtorFilter = z.input<typeof debtorFilter>;
export type CreateCampaignInput = z.input<typeof createCampaignBody>;
export type CampaignQuery = Partial<z.input<typeof campaignQuery>>;
export type NoticesInput = z.input<typeof noticesBody>;
export type TaskQuery = Partial<z.input<typeof taskQuery>>;
export type OutcomeInput = z.input<typeof outcomeBody>;
export type AssignInput = z.input<typeof assignBody>;
export type FundEntryQuery = z.input<typeof fundEntryQuery>;
export type CreateFundEntryInput = z.input<typeof createFundEntryBody>;
export type FundSummaryQuery = z.input<typeof fundSummaryQuery>;
export type DisclosureEntryQuery = z.input<typeof disclosureEntryQuery>;
export type CreateDisclosureEntryInput = z.input<typeof createDisclosureEntryBody>;
export type DisclosureQuery = z.input<typeof disclosureQuery>;

type Query = Record<string, string | number | boolean | undefined>;

export const arrearsKeys = {
  all: ['billingArrears'] as const,
  summary: (q: ArrearsSummaryQuery) => ['billingArrears', 'summary', q] as const,
  rooms: (q: ArrearsRoomQuery) => ['billingArrears', 'rooms', q] as const,
  debtors: (q: DebtorQuery) => ['billingArrears', 'debtors', q] as const,
  rate: (q: CollectionRateQuery) => ['billingArrears', 'rate', q] as const,
  quotas: (q: QuotaQuery) => ['billingArrears', 'quotas', q] as const,
  campaigns: (q: CampaignQuery) => ['billingArrears', 'campaigns', q] as const,
  campaign: (id: string) => ['billingArrears', 'campaign', id] as const,
  tasks: (q: TaskQuery) => ['billingArrears', 'tasks', q] as const,
  fund: ['billingArrears', 'fund'] as const,
  fundEntries: (q: FundEntryQuery) => ['billingArrears', 'fund', 'entries', q] as const,
  fundSummary: (q: FundSummaryQuery) => ['billingArrears', 'fund', 'summary', q] as const,
  disclosure: ['billingArrears', 'disclosure'] as const,
  disclosureEntries: (q: DisclosureEntryQuery) => ['billingArrears', 'disclosure', 'entries', q] as const,
  disclosurePage: (q: DisclosureQuery) => ['billingArrears', 'disclosure', 'page', q] as const,
  repairTickets: (communityId: string, q: string) => ['billingArrears', 'repairTickets', communityId, q] as const,
};

/**
 * A key that makes a retried write a no-op on the server. `crypto.randomUUID` exists only on HTTPS and localhost;
 * a console opened over plain HTTP on the office network falls back to the same 122 random bits by hand.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ── Arrears and collection rate ───────────────────────────────────────────────────────────────────────────────
export function useArrearsSummary(q: ArrearsSummaryQuery) {
  return useQuery({ queryKey: arrearsKeys.summary(q), queryFn: () => api.get<ArrearsSummary>('/api/arrears/summary', q as Query), placeholderData: keepPreviousData });
}

export function useArrearsRooms(q: ArrearsRoomQuery) {
  return useQuery({ queryKey: arrearsKeys.rooms(q), queryFn: () => api.get<Page<ArrearsRoom>>('/api/arrears/rooms', q as Query), placeholderData: keepPreviousData });
}

export function useDebtors(q: DebtorQuery) {
  return useQuery({ queryKey: arrearsKeys.debtors(q), queryFn: () => api.get<Debtors>('/api/arrears/debtors', q as Query), placeholderData: keepPreviousData });
}

export function useCollectionRate(q: CollectionRateQuery) {
  return useQuery({ queryKey: arrearsKeys.rate(q), queryFn: () => api.get<CollectionRateResult>('/api/collection-rate', q as Query), placeholderData: keepPreviousData });
}

export function useQuotas(q: QuotaQuery, enabled = true) {
  return useQuery({ queryKey: arrearsKeys.quotas(q), queryFn: () => api.get<{ items: Quota[] }>('/api/collection-quotas', q as Query), enabled });
}

/** PUT answers 201 for a new target and 200 when it replaced the same scope's: both carry the target. */
export function usePutQuota() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: PutQuotaInput) => {
      const res = await request<Response>('PUT', '/api/collection-quotas', { body: input, raw: true });
      return { quota: (await res.json()) as Quota, created: res.status === 201 };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.all }),
  });
}

export function useDeleteQuota() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/collection-quotas/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.all }) });
}

// ── PDFs ──────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Shows a PDF the server makes. The window is opened before the request (inside the click), so a popup blocker lets
 * it through; when it is blocked anyway the file is saved instead. Returns whether it was opened.
 */
export async function openPdf(fetchPdf: () => Promise<Response>, fallbackName: string): Promise<boolean> {
  const win = window.open('', '_blank');
  try {
    const res = await fetchPdf();
    const url = URL.createObjectURL(new Blob([await res.blob()], { type: 'application/pdf' }));
    setTimeout(() => URL.revokeObjectURL(url), 120_000);
    if (win) {
      win.location.href = url;
      return true;
    }
    const a = document.createElement('a');
    a.href = url;
    a.download = fallbackName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return false;
  } catch (err) {
    win?.close();
    throw err;
  }
}

/** 催缴通知书 for rooms picked on the arrears page (or by the campaign filters). */
export function arrearsNoticesPdf(input: NoticesInput): Promise<Response> {
  return request<Response>('POST', '/api/arrears/notices.pdf', { body: input, raw: true });
}

/** 催缴通知书 of a campaign's rooms that still owe today. */
export function campaignNoticesPdf(id: string, q: { buildingId?: string; payBy?: string } = {}): Promise<Response> {
  return request<Response>('GET', `/api/reminder-campaigns/${id}/notices.pdf`, { query: q, raw: true });
}

// ── 催缴 ───────────────────────────────────────────────────────────────────────────────────────────────────────
export function usePreviewCampaign() {
  return useMutation({ mutationFn: (input: DebtorFilter) => api.post<CampaignPreview>('/api/reminder-campaigns/preview', input) });
}

/** The same idempotency key again answers 200 with the campaign made the first time; `created` tells which. */
export function useCreateCampaign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateCampaignInput) => {
      const res = await request<Response>('POST', '/api/reminder-campaigns', { body: input, raw: true });
      return { campaign: (await res.json()) as Campaign, created: res.status === 201 };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.all }),
  });
}

export function useCampaigns(q: CampaignQuery) {
  return useQuery({ queryKey: arrearsKeys.campaigns(q), queryFn: () => api.get<Page<Campaign>>('/api/reminder-campaigns', q as Query), placeholderData: keepPreviousData });
}

export function useCampaign(id: string | null) {
  return useQuery({ queryKey: arrearsKeys.campaign(id ?? ''), queryFn: () => api.get<CampaignDetail>(`/api/reminder-campaigns/${id}`), enabled: Boolean(id) });
}

export function useTasks(q: TaskQuery) {
  return useQuery({ queryKey: arrearsKeys.tasks(q), queryFn: () => api.get<Page<CollectionTask>>('/api/collection-tasks', q as Query), placeholderData: keepPreviousData });
}

export function useRecordOutcome() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: OutcomeInput }) => api.post<CollectionTask>(`/api/collection-tasks/${id}/outcome`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.all }),
  });
}

export function useAssignTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AssignInput }) => api.post<CollectionTask>(`/api/collection-tasks/${id}/assign`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.all }),
  });
}

// ── 维修资金 and 公示 ───────────────────────────────────────────────────────────────────────────────────────────
export function useFundEntries(q: FundEntryQuery | null) {
  return useQuery({
    queryKey: arrearsKeys.fundEntries(q ?? { communityId: '' }),
    queryFn: () => api.get<FundEntryPage>('/api/fund-entries', q as Query),
    enabled: Boolean(q?.communityId),
    placeholderData: keepPreviousData,
  });
}

export function useFundSummary(q: FundSummaryQuery | null) {
  return useQuery({
    queryKey: arrearsKeys.fundSummary(q ?? { communityId: '' }),
    queryFn: () => api.get<FundSummary>('/api/fund-summary', q as Query),
    enabled: Boolean(q?.communityId),
    placeholderData: keepPreviousData,
  });
}

export function useCreateFundEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateFundEntryInput) => api.post<FundEntry>('/api/fund-entries', input),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: arrearsKeys.fund }), qc.invalidateQueries({ queryKey: arrearsKeys.disclosure })]),
  });
}

/**
 * Repair tickets of a community to pay from the fund. The ticket list cannot filter by repair size or approval, so
 * this lists the community's public repairs and the server refuses one that is not an approved medium/major repair.
 */
export function useRepairTickets(communityId: string | undefined, search: string, enabled: boolean) {
  return useQuery({
    queryKey: arrearsKeys.repairTickets(communityId ?? '', search),
    queryFn: () => api.get<Page<TicketSummary>>('/api/tickets', { communityId, kind: 'publicRepair', q: search || undefined, pageSize: 50 }),
    enabled: enabled && Boolean(communityId),
    placeholderData: keepPreviousData,
  });
}

export function useDisclosureEntries(q: DisclosureEntryQuery, enabled = true) {
  return useQuery({
    queryKey: arrearsKeys.disclosureEntries(q),
    queryFn: () => api.get<Page<DisclosureEntry>>('/api/disclosure-entries', q as Query),
    enabled: enabled && Boolean(q.communityId),
    placeholderData: keepPreviousData,
  });
}

export function useCreateDisclosureEntry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateDisclosureEntryInput) => api.post<DisclosureEntry>('/api/disclosure-entries', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.disclosure }),
  });
}

export function useDeleteDisclosureEntry() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/disclosure-entries/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: arrearsKeys.disclosure }) });
}

export function useDisclosure(q: DisclosureQuery | null) {
  return useQuery({
    queryKey: arrearsKeys.disclosurePage(q ?? { communityId: '' }),
    queryFn: () => api.get<Disclosure>('/api/disclosure', q as Query),
    enabled: Boolean(q?.communityId),
    placeholderData: keepPreviousData,
  });
}
