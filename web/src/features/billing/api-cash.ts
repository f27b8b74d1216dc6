import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  balanceView,
  counterPayBody,
  paymentDetail,
  paymentQuery,
  paymentSummary,
  prepayQuote,
  refundBody,
  refundQuery,
  refundView,
  settleResult,
  waiveResult,
  BALANCE_KINDS,
  COUNTER_METHODS,
  PAYMENT_METHODS,
  REFUND_STATUSES,
} from '../../../../src/modules/billing/payment-schema.ts';
import type { cashierClosing, createInvoiceBody, dailyReport, dailyReportQuery, invoiceQuery, invoiceRequest, INVOICE_STATUSES } from '../../../../src/modules/billing/daily-schema.ts';
import type { billLine } from '../../../../src/modules/billing/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, download } from '../../lib/api.ts';

export type PaymentSummary = z.infer<typeof paymentSummary>;
export type PaymentDetail = z.infer<typeof paymentDetail>;
export type BalanceView = z.infer<typeof balanceView>;
export type RefundView = z.infer<typeof refundView>;
export type BillLine = z.infer<typeof billLine>;
export type DailyReport = z.infer<typeof dailyReport>;
export type CashierClosing = z.infer<typeof cashierClosing>;
export type InvoiceRequest = z.infer<typeof invoiceRequest>;
export type PrepayQuote = z.infer<typeof prepayQuote>;
export type WaiveResult = z.infer<typeof waiveResult>;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type CounterMethod = (typeof COUNTER_METHODS)[number];
export type BalanceKind = (typeof BALANCE_KINDS)[number];
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type CounterPayInput = z.input<typeof counterPayBody>;
export type RefundInput = z.infer<typeof refundBody>;
export type CreateInvoiceInput = z.infer<typeof createInvoiceBody>;
export type PaymentQuery = Partial<z.infer<typeof paymentQuery>>;
export type RefundQuery = Partial<z.infer<typeof refundQuery>>;
export type InvoiceQuery = Partial<z.infer<typeof invoiceQuery>>;
export type DailyReportQuery = z.infer<typeof dailyReportQuery>;

type Query = Record<string, string | number | undefined>;

export const cashKeys = {
  all: ['billingCash'] as const,
  roomBills: (roomId: string) => ['billingCash', 'roomBills', roomId] as const,
  balances: (roomId: string) => ['billingCash', 'balances', roomId] as const,
  prepayQuote: (roomId: string, itemId: string, months: number) => ['billingCash', 'prepayQuote', roomId, itemId, months] as const,
  payments: (q: PaymentQuery) => ['billingCash', 'payments', q] as const,
  payment: (id: string) => ['billingCash', 'payment', id] as const,
  refunds: (q: RefundQuery) => ['billingCash', 'refunds', q] as const,
  daily: (q: Partial<DailyReportQuery>) => ['billingCash', 'daily', q] as const,
  invoices: (q: InvoiceQuery) => ['billingCash', 'invoices', q] as const,
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

/** A room's open bills (unpaid and partly paid), every one of them: the API takes one status per query. */
export function useOpenBills(roomId: string | undefined) {
  const results = useQueries({
    queries: (['unpaid', 'partial'] as const).map((status) => ({
      queryKey: [...cashKeys.roomBills(roomId ?? ''), status],
      queryFn: () => api.get<Page<BillLine>>(`/api/rooms/${roomId}/bills`, { status, pageSize: 200 }),
      enabled: Boolean(roomId),
    })),
  });
  const error = results.find((r) => r.error)?.error ?? null;
  const data = results.every((r) => r.data) ? results.flatMap((r) => r.data!.items) : undefined;
  return { data, error, isPending: results.some((r) => r.isPending), refetch: () => results.forEach((r) => void r.refetch()) };
}

export function useBalances(roomId: string | undefined) {
  return useQuery({ queryKey: cashKeys.balances(roomId ?? ''), queryFn: () => api.get<BalanceView>(`/api/rooms/${roomId}/balances`), enabled: Boolean(roomId) });
}

/** Money moved: bills, balances, payments, refunds, the day's report and invoices may all show it. */
function useMoneyMoved() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: cashKeys.all });
}

export function useCounterPay() {
  const moved = useMoneyMoved();
  return useMutation({ mutationFn: (input: CounterPayInput) => api.post<PaymentDetail>('/api/payments', input), onSuccess: () => void moved() });
}

/** 预交 quote: what prepaying `months` of a monthly item costs the room and the free months it earns. */
export function usePrepayQuote(roomId: string, itemId: string | undefined, months: number | null) {
  return useQuery({
    queryKey: cashKeys.prepayQuote(roomId, itemId ?? '', months ?? 0),
    queryFn: () => api.get<PrepayQuote>(`/api/rooms/${roomId}/prepay-quote`, { itemId, months: months ?? undefined }),
    enabled: Boolean(itemId && months && months >= 1 && months <= 60),
    retry: false,
  });
}

/** 减免滞纳金 of one unpaid late-fee line; the bill lists (set-up pages' and the counter's) read it again. */
export function useWaiveLateFee() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ lineId, reason }: { lineId: string; reason: string }) => api.post<WaiveResult>(`/api/bill-lines/${lineId}/waive`, { reason }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: cashKeys.all }), qc.invalidateQueries({ queryKey: ['billingSetup'] })]),
  });
}

export function useSettle() {
  const moved = useMoneyMoved();
  return useMutation({ mutationFn: (roomId: string) => api.post<z.infer<typeof settleResult>>(`/api/rooms/${roomId}/settle`), onSuccess: () => void moved() });
}

export function usePayments(q: PaymentQuery) {
  return useQuery({ queryKey: cashKeys.payments(q), queryFn: () => api.get<Page<PaymentSummary>>('/api/payments', q as Query), placeholderData: keepPreviousData });
}

export function usePayment(id: string | undefined) {
  return useQuery({ queryKey: cashKeys.payment(id ?? ''), queryFn: () => api.get<PaymentDetail>(`/api/payments/${id}`), enabled: Boolean(id) });
}

/** The receipt PDF in a new tab (the browser's viewer prints it); each opening after the first is marked 补打. */
export function receiptUrl(paymentId: string): string {
  return `/api/payments/${paymentId}/receipt.pdf`;
}

export function useRefunds(q: RefundQuery, enabled = true) {
  return useQuery({ queryKey: cashKeys.refunds(q), queryFn: () => api.get<Page<RefundView>>('/api/refunds', q as Query), placeholderData: keepPreviousData, enabled });
}

export function useRequestRefund() {
  const moved = useMoneyMoved();
  return useMutation({ mutationFn: (input: RefundInput) => api.post<RefundView>('/api/refunds', input), onSuccess: () => void moved() });
}

export function useDecideRefund() {
  const moved = useMoneyMoved();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note?: string }) => api.post<RefundView>(`/api/refunds/${id}/${decision}`, note ? { note } : {}),
    onSuccess: () => void moved(),
  });
}

export function useDailyReport(q: Partial<DailyReportQuery>) {
  return useQuery({
    queryKey: cashKeys.daily(q),
    queryFn: () => api.get<DailyReport>('/api/billing/daily-report', q as Query),
    enabled: Boolean(q.communityId),
    placeholderData: keepPreviousData,
  });
}

export function downloadDailyReport(q: Partial<DailyReportQuery>) {
  return download('/api/billing/daily-report.xlsx', q as Query, `收款日报-${q.date ?? ''}.xlsx`);
}

/** 交账: freezes the caller's counter takings of the day as handed over. */
export function useCloseDay() {
  const moved = useMoneyMoved();
  return useMutation({ mutationFn: (input: { communityId: string; date: string }) => api.post<CashierClosing>('/api/billing/daily-report/close', input), onSuccess: () => void moved() });
}

export function useInvoiceRequests(q: InvoiceQuery) {
  return useQuery({ queryKey: cashKeys.invoices(q), queryFn: () => api.get<Page<InvoiceRequest>>('/api/invoice-requests', q as Query), placeholderData: keepPreviousData });
}

export function useCreateInvoice() {
  const moved = useMoneyMoved();
  return useMutation({ mutationFn: (input: CreateInvoiceInput) => api.post<InvoiceRequest>('/api/invoice-requests', input), onSuccess: () => void moved() });
}

export function useHandleInvoice() {
  const moved = useMoneyMoved();
  return useMutation({
    mutationFn: ({ id, action, ...body }: { id: string; action: 'issue'; invoiceNo: string } | { id: string; action: 'reject'; note: string }) =>
      api.post<InvoiceRequest>(`/api/invoice-requests/${id}/${action}`, body),
    onSuccess: () => void moved(),
  });
}
