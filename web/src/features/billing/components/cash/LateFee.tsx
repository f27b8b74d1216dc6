import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { waiveBody } from '../../../../../../src/modules/billing/payment-schema.ts';
import { formatYuan } from '../../../../lib/format.ts';
import { useWaiveLateFee } from '../../api-cash.ts';
import { NoteModal } from './NoteModal.tsx';

/** The part of a bill line the 滞纳金 pages share: the tags of a late-fee line and the figure accruing on a charge. */
interface LateFeeLine {
  id: string;
  kind: 'charge' | 'lateFee';
  periodKey: string;
  amountFen: number;
  lateFeeAccruedFen: number;
}

/** 滞纳金 on a late-fee line, naming its overdue bill's period on hover (a waived one's 已减免 is its status). */
export function LateFeeTag({ line }: { line: LateFeeLine }) {
  const { t } = useTranslation();
  if (line.kind !== 'lateFee') return null;
  return (
    <Tooltip title={t('billingCash.lateFee.ofPeriod', { period: line.periodKey })}>
      <Tag color="magenta" data-testid="late-fee-tag">
        {t('billingCash.lateFee.tag')}
      </Tag>
    </Tooltip>
  );
}

/** "+滞纳金 ¥x" under what an overdue charge owes: paying it today adds this much. */
export function AccruedLateFee({ fen }: { fen: number }) {
  const { t } = useTranslation();
  if (fen <= 0) return null;
  return (
    <Typography.Text type="warning" style={{ fontSize: 12, whiteSpace: 'nowrap', display: 'block' }} data-testid="late-fee-accrued">
      {t('billingCash.lateFee.accrued', { amount: formatYuan(fen) })}
    </Typography.Text>
  );
}

/** 减免滞纳金 of one unpaid late-fee line, with the reason the server keeps on record. */
export function WaiveLateFeeModal({ line, onClose, onDone }: { line: LateFeeLine | null; onClose: () => void; onDone?: (fen: number) => void }) {
  const { t } = useTranslation();
  const waive = useWaiveLateFee();
  return (
    <NoteModal
      open={line !== null}
      title={t('billingCash.lateFee.waiveTitle')}
      hint={line && t('billingCash.lateFee.waiveHint', { amount: formatYuan(line.amountFen), period: line.periodKey })}
      label={t('billingCash.lateFee.waiveReason')}
      field="reason"
      schema={waiveBody.shape.reason}
      okText={t('billingCash.lateFee.waive')}
      testId="waive-late-fee"
      onClose={onClose}
      onSubmit={async (reason) => {
        const r = await waive.mutateAsync({ lineId: line!.id, reason: reason ?? '' });
        onDone?.(r.waivedFen);
      }}
    />
  );
}
