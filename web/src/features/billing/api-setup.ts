import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  billLine,
  billRun,
  binding,
  bindingQuery,
  bulkBindBody,
  bulkBindResult,
  createBindingBody,
  createFeeItemBody,
  createMeterBody,
  createVacancyBody,
  feeItem,
  feeItemQuery,
  lineQuery,
  meter,
  meterQuery,
  preview,
  reading,
  readingImportResult,
  readingQuery,
  replaceMeterBody,
  roomBillQuery,
  runBody,
  runQuery,
  updateBindingBody,
  updateFeeItemBody,
  vacancyApproval,
  vacancyQuery,
  FEE_KINDS,
  METER_KINDS,
  CYCLES,
  ROUNDINGS,
  LINE_STATUSES,
  RUN_STATUSES,
} from '../../../../src/modules/billing/schema.ts';
import type { balanceView } from '../../../../src/modules/billing/payment-schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, upload } from '../../lib/api.ts';

/** TanStack Query hooks of the billing set-up pages: fee items, bindings, vacancy, meters, readings, runs, lines. */

export type FeeItem = z.infer<typeof feeItem>;
export type Binding = z.infer<typeof binding>;
export type VacancyApproval = z.infer<typeof vacancyApproval>;
export type Meter = z.infer<typeof meter>;
export type Reading = z.infer<typeof reading>;
export type Preview = z.infer<typeof preview>;
export type BillRun = z.infer<typeof billRun>;
export type BillLine = z.infer<typeof billLine>;
export type BalanceView = z.infer<typeof balanceView>;
export type FeeKind = (typeof FEE_KINDS)[number];
export type MeterKind = (typeof METER_KINDS)[number];
export type Cycle = (typeof CYCLES)[number];
export type Rounding = (typeof ROUNDINGS)[number];
export type LineStatus = (typeof LINE_STATUSES)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];

export type FeeItemQuery = Partial<z.infer<typeof feeItemQuery>>;
export type BindingQuery = Partial<z.infer<typeof bindingQuery>>;
export type VacancyQuery = Partial<z.infer<typeof vacancyQuery>>;
export type MeterQuery = Partial<z.infer<typeof meterQuery>>;
export type ReadingQuery = Partial<z.infer<typeof readingQuery>>;
export type RunQuery = Partial<z.infer<typeof runQuery>>;
export type LineQuery = Partial<z.infer<typeof lineQuery>>;
export type RoomBillQuery = Partial<z.infer<typeof roomBillQuery>>;
export type CreateFeeItemInput = z.input<typeof createFeeItemBody>;
export type UpdateFeeItemInput = z.input<typeof updateFeeItemBody>;
export type CreateBindingInput = z.input<typeof createBindingBody>;
export type UpdateBindingInput = z.input<typeof updateBindingBody>;
export type BulkBindInput = z.input<typeof bulkBindBody>;
export type BulkBindResult = z.infer<typeof bulkBindResult>;
export type CreateVacancyInput = z.input<typeof createVacancyBody>;
export type CreateMeterInput = z.input<typeof createMeterBody>;
export type ReplaceMeterInput = z.input<typeof replaceMeterBody>;
export type RunInput = z.input<typeof runBody>;
export type ReadingImportResult = z.infer<typeof readingImportResult>;

export const setupKeys = {
  all: ['billingSetup'] as const,
  items: (q: FeeItemQuery) => ['billingSetup', 'items', q] as const,
  bindings: (q: BindingQuery) => ['billingSetup', 'bindings', q] as const,
  vacancy: (q: VacancyQuery) => ['billingSetup', 'vacancy', q] as const,
  meters: (q: MeterQuery) => ['billingSetup', 'meters', q] as const,
  readings: (q: ReadingQuery) => ['billingSetup', 'readings', q] as const,
  runs: (q: RunQuery) => ['billingSetup', 'runs', q] as const,
  lines: (q: LineQuery) => ['billingSetup', 'lines', q] as const,
  roomBills: (roomId: string, q: RoomBillQuery) => ['billingSetup', 'roomBills', roomId, q] as const,
  roomBalances: (roomId: string) => ['billingSetup', 'roomBalances', roomId] as const,
};

/** Any billing change may change what the other tabs show (an item's bindings, a run's lines, a meter's readings). */
function useBillingChanged() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: setupKeys.all });
}

// ── Fee items ─────────────────────────────────────────────────────────────────────────────────────────────────

export function useFeeItems(q: FeeItemQuery) {
  return useQuery({ queryKey: setupKeys.items(q), queryFn: () => api.get<Page<FeeItem>>('/api/fee-items', q), placeholderData: keepPreviousData });
}

/** Every item of the company (for selects): a company has dozens, at most 200 are listed. */
export function useAllFeeItems(communityId?: string) {
  return useFeeItems({ communityId, pageSize: 200 });
}

export function useSaveFeeItem() {
  const done = useBillingChanged();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: CreateFeeItemInput | UpdateFeeItemInput }) =>
      id ? api.patch<FeeItem>(`/api/fee-items/${id}`, input) : api.post<FeeItem>('/api/fee-items', input),
    onSuccess: done,
  });
}

// ── Bindings and vacancy ──────────────────────────────────────────────────────────────────────────────────────

export function useBindings(q: BindingQuery, enabled = true) {
  return useQuery({ queryKey: setupKeys.bindings(q), queryFn: () => api.get<Page<Binding>>('/api/fee-bindings', q), placeholderData: keepPreviousData, enabled });
}

export function useCreateBinding() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: CreateBindingInput) => api.post<Binding>('/api/fee-bindings', input), onSuccess: done });
}

export function useBulkBind() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: BulkBindInput) => api.post<BulkBindResult>('/api/fee-bindings/bulk', input), onSuccess: done });
}

export function useUpdateBinding() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: UpdateBindingInput }) => api.patch<Binding>(`/api/fee-bindings/${id}`, input), onSuccess: done });
}

export function useVacancyApprovals(q: VacancyQuery) {
  return useQuery({ queryKey: setupKeys.vacancy(q), queryFn: () => api.get<Page<VacancyApproval>>('/api/vacancy-approvals', q), placeholderData: keepPreviousData });
}

export function useApproveVacancy() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: CreateVacancyInput) => api.post<VacancyApproval>('/api/vacancy-approvals', input), onSuccess: done });
}

export function useEndVacancy() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: ({ id, endDate }: { id: string; endDate: string }) => api.post<VacancyApproval>(`/api/vacancy-approvals/${id}/end`, { endDate }), onSuccess: done });
}

// ── Meters and readings ───────────────────────────────────────────────────────────────────────────────────────

export function useMeters(q: MeterQuery, enabled = true) {
  return useQuery({ queryKey: setupKeys.meters(q), queryFn: () => api.get<Page<Meter>>('/api/meters', q), placeholderData: keepPreviousData, enabled });
}

export function useCreateMeter() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: CreateMeterInput) => api.post<Meter>('/api/meters', input), onSuccess: done });
}

export function useReplaceMeter() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: ReplaceMeterInput }) => api.post<Meter>(`/api/meters/${id}/replace`, input), onSuccess: done });
}

export function useReadings(q: ReadingQuery, enabled = true) {
  return useQuery({ queryKey: setupKeys.readings(q), queryFn: () => api.get<Page<Reading>>('/api/meter-readings', q), placeholderData: keepPreviousData, enabled });
}

export function useCreateReading() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: { meterId: string; periodKey: string; reading: string }) => api.post<Reading>('/api/meter-readings', input), onSuccess: done });
}

export function useApproveReading() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (id: string) => api.post<Reading>(`/api/meter-readings/${id}/approve`), onSuccess: done });
}

export function useImportReadings() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: ({ communityId, file }: { communityId: string; file: File }) => upload<ReadingImportResult>('/api/meter-readings/import', file, { communityId }), onSuccess: done });
}

// ── Bill runs and lines ───────────────────────────────────────────────────────────────────────────────────────

/** Runs of a community; polled every second and a half while one of them (or one being created) is running. */
export function useBillRuns(q: RunQuery, poll: boolean) {
  return useQuery({
    queryKey: setupKeys.runs(q),
    queryFn: () => api.get<Page<BillRun>>('/api/bill-runs', q),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (poll || query.state.data?.items.some((r) => r.status === 'running') ? 1500 : false),
  });
}

export function usePreviewRun() {
  return useMutation({ mutationFn: (input: RunInput) => api.post<Preview>('/api/bill-runs/preview', input) });
}

export function useCreateRun() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (input: RunInput) => api.post<BillRun>('/api/bill-runs', input), onSettled: done });
}

export function useResumeRun() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (id: string) => api.post<BillRun>(`/api/bill-runs/${id}/resume`), onSettled: done });
}

export function useRevokeRun() {
  const done = useBillingChanged();
  return useMutation({ mutationFn: (id: string) => api.post<BillRun>(`/api/bill-runs/${id}/revoke`), onSuccess: done });
}

export function useBillLines(q: LineQuery, enabled = true) {
  return useQuery({ queryKey: setupKeys.lines(q), queryFn: () => api.get<Page<BillLine>>('/api/bill-lines', q), placeholderData: keepPreviousData, enabled });
}

export function useRoomBills(roomId: string, q: RoomBillQuery, enabled = true) {
  return useQuery({ queryKey: setupKeys.roomBills(roomId, q), queryFn: () => api.get<Page<BillLine>>(`/api/rooms/${roomId}/bills`, q), placeholderData: keepPreviousData, enabled });
}

export function useRoomBalances(roomId: string) {
  return useQuery({ queryKey: setupKeys.roomBalances(roomId), queryFn: () => api.get<BalanceView>(`/api/rooms/${roomId}/balances`) });
}
