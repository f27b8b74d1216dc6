import { type Kysely, sql } from 'kysely';

// 滞纳金 and 预交优惠, the two terms billing part two left recorded but unapplied.
//
// A late fee is a bill line of kind 'lateFee' (no run; `source_line_id` is the overdue line, `charged_by_payment_id`
// the payment whose late money it is charged on), so arrears, receipts, refunds and the reconciliation treat it like
// any line. One per (source line, payment). A waived late fee is kept, revoked, with who waived it and why. Charge
// lines keep their unique key (a bill run's idempotency) — now only over kind 'charge'.
//
// A prepayment bonus (pay N months, get M free) is not cash: it is a credit of its own (`prepay_bonuses`) that pays
// only lines of its item, after the room's cash balances, through allocations of source 'bonus'. A refund of the
// payment forfeits what of the bonus is unused.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bill_lines ALTER COLUMN run_id DROP NOT NULL;
    ALTER TABLE bill_lines
      ADD COLUMN kind text NOT NULL DEFAULT 'charge' CHECK (kind IN ('charge', 'lateFee')),
      ADD COLUMN source_line_id uuid REFERENCES bill_lines(id),
      ADD COLUMN charged_by_payment_id uuid REFERENCES payments(id),
      ADD COLUMN waived_by uuid REFERENCES users(id),
      ADD COLUMN waive_reason text,
      ADD CONSTRAINT bill_lines_kind_shape CHECK (
        (kind = 'charge' AND run_id IS NOT NULL AND source_line_id IS NULL AND charged_by_payment_id IS NULL)
        OR (kind = 'lateFee' AND run_id IS NULL AND source_line_id IS NOT NULL AND charged_by_payment_id IS NOT NULL)),
      ADD CONSTRAINT bill_lines_waived CHECK (waived_by IS NULL OR (kind = 'lateFee' AND status = 'revoked'));
    DROP INDEX bill_lines_key;
    CREATE UNIQUE INDEX bill_lines_key ON bill_lines (company_id, item_id, target_id, period_key) WHERE status <> 'revoked' AND kind = 'charge';
    CREATE UNIQUE INDEX bill_lines_late_fee_key ON bill_lines (source_line_id, charged_by_payment_id) WHERE kind = 'lateFee';
    CREATE INDEX bill_lines_charged_by_idx ON bill_lines (charged_by_payment_id) WHERE kind = 'lateFee';

    CREATE TABLE prepay_bonuses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      item_id uuid NOT NULL REFERENCES fee_items(id),
      payment_id uuid NOT NULL UNIQUE REFERENCES payments(id),
      months_paid integer NOT NULL CHECK (months_paid > 0),
      free_months integer NOT NULL CHECK (free_months > 0),
      monthly_fen bigint NOT NULL CHECK (monthly_fen > 0),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      used_fen bigint NOT NULL DEFAULT 0,
      forfeited_fen bigint NOT NULL DEFAULT 0,
      forfeited_by_refund_id uuid REFERENCES refunds(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (used_fen >= 0 AND forfeited_fen >= 0 AND used_fen + forfeited_fen <= amount_fen),
      CHECK ((forfeited_fen > 0) = (forfeited_by_refund_id IS NOT NULL))
    );
    CREATE INDEX prepay_bonuses_room_idx ON prepay_bonuses (room_id, item_id, created_at) WHERE used_fen + forfeited_fen < amount_fen;
    CREATE INDEX prepay_bonuses_company_idx ON prepay_bonuses (company_id, community_id);

    ALTER TABLE payments
      ADD COLUMN prepay_item_id uuid REFERENCES fee_items(id),
      ADD COLUMN prepay_months integer CHECK (prepay_months > 0),
      ADD COLUMN late_fee_waived boolean NOT NULL DEFAULT false,
      ADD CONSTRAINT payments_prepay_shape CHECK ((prepay_item_id IS NULL) = (prepay_months IS NULL));

    ALTER TABLE payment_allocations
      DROP CONSTRAINT payment_allocations_source_check,
      ADD CONSTRAINT payment_allocations_source_check CHECK (source IN ('payment', 'balance', 'bonus')),
      ADD COLUMN bonus_id uuid REFERENCES prepay_bonuses(id),
      ADD CONSTRAINT payment_allocations_bonus_shape CHECK ((source = 'bonus') = (bonus_id IS NOT NULL));
    CREATE INDEX payment_allocations_bonus_idx ON payment_allocations (bonus_id) WHERE bonus_id IS NOT NULL;
  `.execute(db);
  // Waiving a late fee is its own permission, for administrators and project managers.
  await sql`
    UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['billing.waive']::text[]) ORDER BY 1), updated_at = now()
     WHERE builtin_key IN ('admin', 'manager')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE roles SET permissions = array_remove(permissions, 'billing.waive');
    DROP INDEX payment_allocations_bonus_idx;
    ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_bonus_shape, DROP COLUMN bonus_id,
      DROP CONSTRAINT payment_allocations_source_check,
      ADD CONSTRAINT payment_allocations_source_check CHECK (source IN ('payment', 'balance'));
    ALTER TABLE payments DROP CONSTRAINT payments_prepay_shape, DROP COLUMN late_fee_waived, DROP COLUMN prepay_months, DROP COLUMN prepay_item_id;
    DROP TABLE prepay_bonuses;
    DROP INDEX bill_lines_charged_by_idx;
    DROP INDEX bill_lines_late_fee_key;
    DROP INDEX bill_lines_key;
    CREATE UNIQUE INDEX bill_lines_key ON bill_lines (company_id, item_id, target_id, period_key) WHERE status <> 'revoked';
    ALTER TABLE bill_lines DROP CONSTRAINT bill_lines_waived, DROP CONSTRAINT bill_lines_kind_shape,
      DROP COLUMN waive_reason, DROP COLUMN waived_by, DROP COLUMN charged_by_payment_id, DROP COLUMN source_line_id, DROP COLUMN kind;
    ALTER TABLE bill_lines ALTER COLUMN run_id SET NOT NULL;
  `.execute(db);
}
