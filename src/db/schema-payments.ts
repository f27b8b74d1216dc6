import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the payment, collection and fund tables (migration 0012). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** bigint money columns in 分, read as numbers (the int8 parser in db/index.ts). */
type Fen = number;
type FenDefault = Generated<number>;
/** A business date 'YYYY-MM-DD'. */
type DateString = string;

export type PaymentMethod = 'cash' | 'pos' | 'transfer' | 'wechatpay' | 'alipay' | 'sandbox';
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'closed';
export type BalanceKind = 'general' | 'property' | 'utilities';
export type RefundStatus = 'requested' | 'rejected' | 'refunding' | 'refunded' | 'failed';
export type CollectionOutcome = 'paid' | 'promised' | 'refused' | 'unreachable' | 'dispute' | 'other';
export type FundEntryKind = 'deposit' | 'interest' | 'spending' | 'adjustment';

export interface RequestedLine {
  lineId: string;
  amountFen: number;
}

export interface PaymentsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  room_id: string | null;
  trade_no: string;
  method: PaymentMethod;
  channel: 'counter' | 'owner';
  status: PaymentStatus;
  amount_fen: Fen;
  allocated_fen: FenDefault;
  to_balance_fen: FenDefault;
  balance_kind: Nullable<BalanceKind>;
  refunded_fen: FenDefault;
  requested_lines: Json<RequestedLine[]>;
  idempotency_key: string;
  request_hash: string;
  provider_trade_no: Nullable<string>;
  payer_user_id: string | null;
  payer_name: string | null;
  collector_id: string | null;
  reference: string | null;
  note: string | null;
  paid_at: Nullable<Date>;
  business_date: Nullable<DateString>;
  /** 预交: the item and months a prepayment is for (its bonus is earned when booked). */
  prepay_item_id: Nullable<string>;
  prepay_months: Nullable<number>;
  /** The cashier waived the late fees this payment would have charged (billing.waive). */
  late_fee_waived: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PrepaidBalancesTable {
  room_id: string;
  kind: BalanceKind;
  company_id: string;
  community_id: string;
  balance_fen: FenDefault;
  updated_at: Timestamp;
}

export interface RefundsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  payment_id: string;
  room_id: string | null;
  amount_fen: Fen;
  reason: string;
  status: Generated<RefundStatus>;
  from_balance_fen: FenDefault;
  from_lines_fen: FenDefault;
  out_refund_no: string;
  provider_refund_no: Nullable<string>;
  idempotency_key: string;
  requested_by: string | null;
  decided_by: Nullable<string>;
  decision_note: Nullable<string>;
  error: Nullable<string>;
  business_date: Nullable<DateString>;
  created_at: CreatedAt;
  decided_at: Nullable<Date>;
  refunded_at: Nullable<Date>;
}

export interface PaymentAllocationsTable {
  id: Generated<number>;
  company_id: string;
  community_id: string;
  bill_line_id: string;
  source: 'payment' | 'balance' | 'bonus';
  payment_id: string | null;
  bonus_id: string | null;
  balance_kind: BalanceKind | null;
  refund_id: string | null;
  amount_fen: Fen;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface BalanceEntriesTable {
  id: Generated<number>;
  company_id: string;
  community_id: string;
  room_id: string;
  kind: BalanceKind;
  delta_fen: Fen;
  balance_after_fen: Fen;
  reason: 'deposit' | 'settlement' | 'refund';
  payment_id: string | null;
  refund_id: string | null;
  bill_line_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ReceiptCountersTable {
  company_id: string;
  year: number;
  last: Generated<number>;
}

export interface ReceiptsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  payment_id: string;
  number: string;
  amount_fen: Fen;
  issued_at: Timestamp;
  print_count: Generated<number>;
  last_printed_at: Nullable<Date>;
}

export interface InvoiceRequestsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  payment_id: string;
  kind: 'personal' | 'company';
  title: string;
  tax_no: string | null;
  email: string | null;
  amount_fen: Fen;
  status: Generated<'requested' | 'issued' | 'rejected'>;
  invoice_no: Nullable<string>;
  note: Nullable<string>;
  requested_by: string | null;
  handled_by: Nullable<string>;
  handled_at: Nullable<Date>;
  created_at: CreatedAt;
}

export interface PaymentNotificationsTable {
  id: Generated<number>;
  company_id: string | null;
  provider: string;
  trade_no: string | null;
  verified: boolean;
  outcome: 'applied' | 'duplicate' | 'rejected' | 'failed';
  error: string | null;
  body_sha256: string;
  ip: string | null;
  received_at: CreatedAt;
}

export interface CashierClosingsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  collector_id: string;
  business_date: DateString;
  total_fen: Fen;
  by_method: Json<Record<string, number>>;
  payment_count: number;
  closed_by: string | null;
  closed_at: CreatedAt;
}

export interface CollectionQuotasTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  zone_id: string | null;
  collector_id: string | null;
  year: number;
  target_percent: ColumnType<string, string | number, string | number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ReminderCampaignsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  title: string;
  channels: string[];
  min_owed_fen: FenDefault;
  min_overdue_days: Generated<number>;
  room_count: Generated<number>;
  total_owed_fen: FenDefault;
  sms_count: Generated<number>;
  in_app_count: Generated<number>;
  task_count: Generated<number>;
  idempotency_key: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ReminderRecipientsTable {
  campaign_id: string;
  room_id: string;
  company_id: string;
  owed_fen: Fen;
  line_count: number;
  oldest_due_date: DateString;
  sms_sent: Generated<boolean>;
  in_app_sent: Generated<boolean>;
}

export interface CollectionTasksTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  campaign_id: string | null;
  room_id: string;
  assignee_id: string | null;
  owed_fen: Fen;
  status: Generated<'open' | 'done'>;
  outcome: Nullable<CollectionOutcome>;
  promised_date: Nullable<DateString>;
  note: Nullable<string>;
  done_by: Nullable<string>;
  done_at: Nullable<Date>;
  created_at: CreatedAt;
}

export interface FundEntriesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  kind: FundEntryKind;
  amount_fen: Fen;
  balance_after_fen: Fen;
  occurred_on: DateString;
  ticket_id: string | null;
  description: string;
  voucher_no: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DisclosureEntriesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  month: string;
  direction: 'income' | 'expense';
  category: string;
  amount_fen: Fen;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

/** 预交优惠: the free months a prepayment earned, a credit that pays only its item's lines (migration 0014). */
export interface PrepayBonusesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  room_id: string;
  item_id: string;
  payment_id: string;
  months_paid: number;
  free_months: number;
  monthly_fen: Fen;
  amount_fen: Fen;
  used_fen: FenDefault;
  forfeited_fen: FenDefault;
  forfeited_by_refund_id: Nullable<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PaymentTables {
  prepay_bonuses: PrepayBonusesTable;
  payments: PaymentsTable;
  prepaid_balances: PrepaidBalancesTable;
  refunds: RefundsTable;
  payment_allocations: PaymentAllocationsTable;
  balance_entries: BalanceEntriesTable;
  receipt_counters: ReceiptCountersTable;
  receipts: ReceiptsTable;
  invoice_requests: InvoiceRequestsTable;
  payment_notifications: PaymentNotificationsTable;
  cashier_closings: CashierClosingsTable;
  collection_quotas: CollectionQuotasTable;
  reminder_campaigns: ReminderCampaignsTable;
  reminder_recipients: ReminderRecipientsTable;
  collection_tasks: CollectionTasksTable;
  fund_entries: FundEntriesTable;
  disclosure_entries: DisclosureEntriesTable;
}
