import { type Kysely, sql } from 'kysely';

// Billing, part two (收款): payments and their allocations to bill lines, prepaid balances with a ledger, receipts
// with running numbers, refunds (request → approval → refund), invoice requests, provider notifications, the
// cashier's daily hand-over, arrears chasing (quotas, reminder campaigns, collection tasks) and the maintenance
// fund (维修资金) with the community's public income and expense for disclosure.
//
// Money invariants the service keeps and the reconciliation check proves:
//   bill_lines.paid_fen = Σ payment_allocations.amount_fen of the line (reversals are negative rows, never updates);
//   a succeeded payment's amount = Σ its allocations + Σ its balance deposits (before refunds);
//   prepaid_balances.balance_fen = Σ balance_entries.delta_fen of the room and kind.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Which prepaid balance pays an item, and whether new bills of the item are settled from it automatically.
    ALTER TABLE fee_items ADD COLUMN balance_kind text NOT NULL DEFAULT 'general' CHECK (balance_kind IN ('general', 'property', 'utilities'));
    ALTER TABLE fee_items ADD COLUMN auto_deduct boolean NOT NULL DEFAULT false;
    UPDATE fee_items SET balance_kind = 'property' WHERE kind = 'property';
    UPDATE fee_items SET balance_kind = 'utilities' WHERE kind IN ('water', 'electricity', 'gas', 'shared');

    -- Arrears and collection figures read only open lines: a partial index keeps them small on a large company.
    CREATE INDEX bill_lines_open_idx ON bill_lines (company_id, community_id, building_id, due_date)
      INCLUDE (room_id, amount_fen, paid_fen) WHERE status IN ('unpaid', 'partial');
    CREATE INDEX bill_lines_period_idx ON bill_lines (company_id, period_start) INCLUDE (community_id, building_id, amount_fen, paid_fen) WHERE status <> 'revoked';

    CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      room_id uuid REFERENCES rooms(id),
      -- Our trade number, sent to the provider as out_trade_no and printed on the receipt.
      trade_no text NOT NULL UNIQUE,
      method text NOT NULL CHECK (method IN ('cash', 'pos', 'transfer', 'wechatpay', 'alipay', 'sandbox')),
      channel text NOT NULL CHECK (channel IN ('counter', 'owner')),
      status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'closed')),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      allocated_fen bigint NOT NULL DEFAULT 0 CHECK (allocated_fen >= 0),
      to_balance_fen bigint NOT NULL DEFAULT 0 CHECK (to_balance_fen >= 0),
      balance_kind text CHECK (balance_kind IN ('general', 'property', 'utilities')),
      refunded_fen bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
      -- The lines an online payment is for, [{ "lineId": …, "amountFen": … }], applied when the provider confirms.
      requested_lines jsonb NOT NULL DEFAULT '[]',
      idempotency_key text NOT NULL,
      request_hash text NOT NULL,
      provider_trade_no text,
      payer_user_id uuid REFERENCES users(id),
      payer_name text,
      collector_id uuid REFERENCES users(id),
      reference text,
      note text,
      paid_at timestamptz,
      -- The community's local date of paid_at: the cashier's day.
      business_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, idempotency_key),
      CHECK (status <> 'succeeded' OR (paid_at IS NOT NULL AND business_date IS NOT NULL AND allocated_fen + to_balance_fen = amount_fen)),
      CHECK (to_balance_fen = 0 OR (balance_kind IS NOT NULL AND room_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX payments_provider_trade_key ON payments (method, provider_trade_no) WHERE provider_trade_no IS NOT NULL;
    CREATE INDEX payments_day_idx ON payments (company_id, business_date, community_id) WHERE status = 'succeeded';
    CREATE INDEX payments_room_idx ON payments (room_id, created_at DESC);
    CREATE INDEX payments_community_idx ON payments (community_id, created_at DESC);
    CREATE INDEX payments_payer_idx ON payments (payer_user_id, created_at DESC);
    CREATE INDEX payments_collector_idx ON payments (collector_id);

    -- A room's prepaid balance by kind (general, 物业费, 水电), never negative; balance_entries is its ledger.
    CREATE TABLE prepaid_balances (
      room_id uuid NOT NULL REFERENCES rooms(id),
      kind text NOT NULL CHECK (kind IN ('general', 'property', 'utilities')),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      balance_fen bigint NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (room_id, kind)
    );
    CREATE INDEX prepaid_balances_company_idx ON prepaid_balances (company_id, community_id);

    CREATE TABLE refunds (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      payment_id uuid NOT NULL REFERENCES payments(id),
      room_id uuid REFERENCES rooms(id),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'rejected', 'refunding', 'refunded', 'failed')),
      -- Where the money came back from, decided on approval: the payment's unspent prepaid part, then its lines.
      from_balance_fen bigint NOT NULL DEFAULT 0,
      from_lines_fen bigint NOT NULL DEFAULT 0,
      out_refund_no text NOT NULL UNIQUE,
      provider_refund_no text,
      idempotency_key text NOT NULL,
      requested_by uuid REFERENCES users(id),
      decided_by uuid REFERENCES users(id),
      decision_note text,
      error text,
      business_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      refunded_at timestamptz,
      UNIQUE (company_id, idempotency_key),
      CHECK (status NOT IN ('refunding', 'refunded') OR from_balance_fen + from_lines_fen = amount_fen)
    );
    CREATE INDEX refunds_payment_idx ON refunds (payment_id);
    CREATE INDEX refunds_company_idx ON refunds (company_id, status, created_at DESC);
    CREATE INDEX refunds_community_idx ON refunds (community_id);
    CREATE INDEX refunds_room_idx ON refunds (room_id);
    CREATE INDEX refunds_requester_idx ON refunds (requested_by);
    CREATE INDEX refunds_decider_idx ON refunds (decided_by);

    -- Money applied to a bill line: from a payment or from a prepaid balance; a refund writes a negative row.
    CREATE TABLE payment_allocations (
      id bigserial PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      bill_line_id uuid NOT NULL REFERENCES bill_lines(id),
      source text NOT NULL CHECK (source IN ('payment', 'balance')),
      payment_id uuid REFERENCES payments(id),
      balance_kind text CHECK (balance_kind IN ('general', 'property', 'utilities')),
      refund_id uuid REFERENCES refunds(id),
      amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((source = 'payment') = (payment_id IS NOT NULL)),
      CHECK ((source = 'balance') = (balance_kind IS NOT NULL)),
      CHECK (amount_fen > 0 OR refund_id IS NOT NULL)
    );
    CREATE INDEX payment_allocations_line_idx ON payment_allocations (bill_line_id);
    CREATE INDEX payment_allocations_payment_idx ON payment_allocations (payment_id);
    CREATE INDEX payment_allocations_refund_idx ON payment_allocations (refund_id);
    CREATE INDEX payment_allocations_company_idx ON payment_allocations (company_id, created_at);
    CREATE INDEX payment_allocations_community_idx ON payment_allocations (community_id);
    CREATE INDEX payment_allocations_user_idx ON payment_allocations (created_by);

    CREATE TABLE balance_entries (
      id bigserial PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      kind text NOT NULL CHECK (kind IN ('general', 'property', 'utilities')),
      delta_fen bigint NOT NULL CHECK (delta_fen <> 0),
      balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
      reason text NOT NULL CHECK (reason IN ('deposit', 'settlement', 'refund')),
      payment_id uuid REFERENCES payments(id),
      refund_id uuid REFERENCES refunds(id),
      bill_line_id uuid REFERENCES bill_lines(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX balance_entries_room_idx ON balance_entries (room_id, kind, id);
    CREATE INDEX balance_entries_company_idx ON balance_entries (company_id, created_at);
    CREATE INDEX balance_entries_community_idx ON balance_entries (community_id);
    CREATE INDEX balance_entries_payment_idx ON balance_entries (payment_id);
    CREATE INDEX balance_entries_refund_idx ON balance_entries (refund_id);
    CREATE INDEX balance_entries_line_idx ON balance_entries (bill_line_id);
    CREATE INDEX balance_entries_user_idx ON balance_entries (created_by);

    -- 收据: one per succeeded payment, numbered per company and year without gaps (SJ2026-000001).
    CREATE TABLE receipt_counters (
      company_id uuid NOT NULL REFERENCES companies(id),
      year integer NOT NULL,
      last integer NOT NULL DEFAULT 0,
      PRIMARY KEY (company_id, year)
    );
    CREATE TABLE receipts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      payment_id uuid NOT NULL UNIQUE REFERENCES payments(id),
      number text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      issued_at timestamptz NOT NULL DEFAULT now(),
      print_count integer NOT NULL DEFAULT 0,
      last_printed_at timestamptz,
      UNIQUE (company_id, number)
    );
    CREATE INDEX receipts_community_idx ON receipts (community_id, issued_at DESC);

    -- 发票申请: recorded for finance, who issue the invoice outside Anju and enter its number.
    CREATE TABLE invoice_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      payment_id uuid NOT NULL REFERENCES payments(id),
      kind text NOT NULL CHECK (kind IN ('personal', 'company')),
      title text NOT NULL,
      tax_no text,
      email text,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'issued', 'rejected')),
      invoice_no text,
      note text,
      requested_by uuid REFERENCES users(id),
      handled_by uuid REFERENCES users(id),
      handled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'company' OR tax_no IS NOT NULL),
      CHECK (status <> 'issued' OR invoice_no IS NOT NULL)
    );
    CREATE UNIQUE INDEX invoice_requests_payment_key ON invoice_requests (payment_id) WHERE status <> 'rejected';
    CREATE INDEX invoice_requests_company_idx ON invoice_requests (company_id, status, created_at DESC);
    CREATE INDEX invoice_requests_community_idx ON invoice_requests (community_id);
    CREATE INDEX invoice_requests_requester_idx ON invoice_requests (requested_by);
    CREATE INDEX invoice_requests_handler_idx ON invoice_requests (handled_by);

    -- Every provider notification received, verified or not (bodies are not kept: only their hash).
    CREATE TABLE payment_notifications (
      id bigserial PRIMARY KEY,
      company_id uuid REFERENCES companies(id),
      provider text NOT NULL,
      trade_no text,
      verified boolean NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'rejected', 'failed')),
      error text,
      body_sha256 text NOT NULL,
      ip text,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX payment_notifications_trade_idx ON payment_notifications (trade_no);
    CREATE INDEX payment_notifications_company_idx ON payment_notifications (company_id, received_at DESC);

    -- 交账: a collector hands the day's takings to finance; the figures are frozen as handed over.
    CREATE TABLE cashier_closings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      collector_id uuid NOT NULL REFERENCES users(id),
      business_date date NOT NULL,
      total_fen bigint NOT NULL,
      by_method jsonb NOT NULL,
      payment_count integer NOT NULL,
      closed_by uuid REFERENCES users(id),
      closed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, collector_id, business_date)
    );
    CREATE INDEX cashier_closings_company_idx ON cashier_closings (company_id, business_date);
    CREATE INDEX cashier_closings_collector_idx ON cashier_closings (collector_id);
    CREATE INDEX cashier_closings_closer_idx ON cashier_closings (closed_by);

    -- 收缴率 targets for a year: per community, or per zone, or per collector (zone_id / collector_id NULL = all).
    CREATE TABLE collection_quotas (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      zone_id uuid REFERENCES zones(id),
      collector_id uuid REFERENCES users(id),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      target_percent numeric(5,2) NOT NULL CHECK (target_percent > 0 AND target_percent <= 100),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (zone_id IS NULL OR collector_id IS NULL),
      UNIQUE NULLS NOT DISTINCT (community_id, zone_id, collector_id, year)
    );
    CREATE INDEX collection_quotas_company_idx ON collection_quotas (company_id, year);
    CREATE INDEX collection_quotas_zone_idx ON collection_quotas (zone_id);
    CREATE INDEX collection_quotas_collector_idx ON collection_quotas (collector_id);

    -- 催缴: a campaign picks debtors (by amount and age) and reaches them by SMS, in-app message, printed notice
    -- and a collection task for the zone's staff. Water, power, heating and gas are never cut (民法典 第944条).
    CREATE TABLE reminder_campaigns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      title text NOT NULL,
      channels text[] NOT NULL,
      min_owed_fen bigint NOT NULL DEFAULT 0,
      min_overdue_days integer NOT NULL DEFAULT 0,
      room_count integer NOT NULL DEFAULT 0,
      total_owed_fen bigint NOT NULL DEFAULT 0,
      sms_count integer NOT NULL DEFAULT 0,
      in_app_count integer NOT NULL DEFAULT 0,
      task_count integer NOT NULL DEFAULT 0,
      idempotency_key text NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, idempotency_key)
    );
    CREATE INDEX reminder_campaigns_community_idx ON reminder_campaigns (community_id, created_at DESC);
    CREATE INDEX reminder_campaigns_company_idx ON reminder_campaigns (company_id, created_at DESC);
    CREATE INDEX reminder_campaigns_user_idx ON reminder_campaigns (created_by);

    CREATE TABLE reminder_recipients (
      campaign_id uuid NOT NULL REFERENCES reminder_campaigns(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      owed_fen bigint NOT NULL,
      line_count integer NOT NULL,
      oldest_due_date date NOT NULL,
      sms_sent boolean NOT NULL DEFAULT false,
      in_app_sent boolean NOT NULL DEFAULT false,
      PRIMARY KEY (campaign_id, room_id)
    );
    CREATE INDEX reminder_recipients_room_idx ON reminder_recipients (room_id);
    CREATE INDEX reminder_recipients_company_idx ON reminder_recipients (company_id);

    CREATE TABLE collection_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      campaign_id uuid REFERENCES reminder_campaigns(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      assignee_id uuid REFERENCES users(id),
      owed_fen bigint NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
      outcome text CHECK (outcome IN ('paid', 'promised', 'refused', 'unreachable', 'dispute', 'other')),
      promised_date date,
      note text,
      done_by uuid REFERENCES users(id),
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'done') = (outcome IS NOT NULL AND done_at IS NOT NULL)),
      CHECK (outcome IS DISTINCT FROM 'promised' OR promised_date IS NOT NULL)
    );
    CREATE UNIQUE INDEX collection_tasks_campaign_key ON collection_tasks (campaign_id, room_id);
    CREATE INDEX collection_tasks_assignee_idx ON collection_tasks (assignee_id, status);
    CREATE INDEX collection_tasks_community_idx ON collection_tasks (community_id, status);
    CREATE INDEX collection_tasks_company_idx ON collection_tasks (company_id);
    CREATE INDEX collection_tasks_room_idx ON collection_tasks (room_id);
    CREATE INDEX collection_tasks_done_idx ON collection_tasks (done_by);

    -- 维修资金: deposits and interest in, spending out (linked to an approved medium or major repair); never below 0.
    CREATE TABLE fund_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      kind text NOT NULL CHECK (kind IN ('deposit', 'interest', 'spending', 'adjustment')),
      amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
      balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
      occurred_on date NOT NULL,
      ticket_id uuid REFERENCES tickets(id),
      description text NOT NULL,
      voucher_no text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind NOT IN ('deposit', 'interest') OR amount_fen > 0),
      CHECK (kind <> 'spending' OR (amount_fen < 0 AND ticket_id IS NOT NULL))
    );
    CREATE INDEX fund_entries_community_idx ON fund_entries (community_id, occurred_on, created_at);
    CREATE INDEX fund_entries_company_idx ON fund_entries (company_id);
    CREATE INDEX fund_entries_ticket_idx ON fund_entries (ticket_id);
    CREATE INDEX fund_entries_user_idx ON fund_entries (created_by);

    -- 公共收支: the community's public income (advertising, parking of common parts) and expense, by month, published.
    CREATE TABLE disclosure_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      direction text NOT NULL CHECK (direction IN ('income', 'expense')),
      category text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      note text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX disclosure_entries_community_idx ON disclosure_entries (community_id, month);
    CREATE INDEX disclosure_entries_company_idx ON disclosure_entries (company_id);
    CREATE INDEX disclosure_entries_user_idx ON disclosure_entries (created_by);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE disclosure_entries, fund_entries, collection_tasks, reminder_recipients, reminder_campaigns, collection_quotas,
      cashier_closings, payment_notifications, invoice_requests, receipts, receipt_counters, balance_entries,
      payment_allocations, refunds, prepaid_balances, payments;
    DROP INDEX bill_lines_open_idx;
    DROP INDEX bill_lines_period_idx;
    ALTER TABLE fee_items DROP COLUMN auto_deduct, DROP COLUMN balance_kind;
  `.execute(db);
}
