import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as s from '../../../../src/modules/billing/payment-schema.ts';
import type { disclosure } from '../../../../src/modules/billing/fund-schema.ts';
import type { createInvoiceBody, invoiceRequest } from '../../../../src/modules/billing/daily-schema.ts';
import { api } from '../../lib/api.ts';

export type OwnerBilling = z.infer<typeof s.ownerBilling>;
export type OwnerRoomBilling = OwnerBilling['rooms'][number];
export type OwnerLine = OwnerRoomBilling['lines'][number];
export type Provider = OwnerBilling['providers'][number];
export type PaymentSummary = z.infer<typeof s.paymentSummary>;
export type PaymentDetail = z.infer<typeof s.paymentDetail>;
export type OwnerPayInput = z.infer<typeof s.ownerPayBody>;
export type OwnerPayResult = z.infer<typeof s.ownerPayResult>;
export type Disclosure = z.infer<typeof disclosure>;
export type InvoiceInput = z.infer<typeof createInvoiceBody>;
export type InvoiceRequest = z.infer<typeof invoiceRequest>;

export const billingMobileKeys = {
  all: ['billingMobile'] as const,
  billing: ['billingMobile', 'billing'] as const,
  payment: (id: string) => ['billingMobile', 'payment', id] as const,
  disclosure: (communityId: string, year: number | undefined) => ['billingMobile', 'disclosure', communityId, year ?? 'current'] as const,
};

/** My rooms' open and recent bills, balances, payments, and the online providers this installation offers. */
export function useOwnerBilling() {
  return useQuery({ queryKey: billingMobileKeys.billing, queryFn: () => api.get<OwnerBilling>('/api/owner/billing') });
}

/** Starts an online payment; a retry with the same idempotency key returns the same payment. */
export function useStartPayment() {
  return useMutation({ mutationFn: (input: OwnerPayInput) => api.post<OwnerPayResult>('/api/owner/payments', input) });
}

/** One of my payments; asked again every 2 s while the provider has not answered. */
export function usePayment(id: string | null) {
  return useQuery({
    queryKey: billingMobileKeys.payment(id ?? ''),
    queryFn: () => api.get<PaymentDetail>(`/api/owner/payments/${id}`),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 2000 : false),
  });
}

/** The sandbox's 确认支付 / 取消支付. */
export function useSandboxConfirm(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (outcome: 'succeeded' | 'closed') => api.post<PaymentDetail>(`/api/owner/payments/${id}/sandbox-confirm`, { outcome }),
    onSuccess: (p) => {
      qc.setQueryData(billingMobileKeys.payment(p.id), p);
      return qc.invalidateQueries({ queryKey: billingMobileKeys.billing });
    },
  });
}

/** The receipt as a PDF, opened by the browser (the session cookie goes along). */
export const receiptUrl = (paymentId: string) => `/api/owner/payments/${paymentId}/receipt.pdf`;

export function useRequestInvoice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: InvoiceInput) => api.post<InvoiceRequest>('/api/owner/invoice-requests', input),
    onSuccess: (r) => qc.invalidateQueries({ queryKey: billingMobileKeys.payment(r.paymentId) }),
  });
}

/** The 公示 page of a community where I have a room. */
export function useDisclosure(communityId: string | undefined, year: number | undefined) {
  return useQuery({
    queryKey: billingMobileKeys.disclosure(communityId ?? '', year),
    queryFn: () => api.get<Disclosure>('/api/owner/disclosure', { communityId, year }),
    enabled: Boolean(communityId),
  });
}
