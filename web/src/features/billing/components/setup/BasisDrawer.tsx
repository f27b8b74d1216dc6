import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Collapse, Descriptions, Drawer, Flex, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatYuan } from '../../../../lib/format.ts';
import type { BillLine, FeeKind, LineStatus, Rounding } from '../../api-setup.ts';
import { exactFenToYuan, monthsText, plainDecimal, priceUnitKey } from './periods.ts';
import { lateFeeDays } from '../cash/due.ts';

/**
 * 计费依据: how a bill line was computed, from the `basis` its bill run recorded — area × price × months for each
 * binding window, vacancy at a percent, meter readings and tiers, a building's 公摊 share — then the exact amount,
 * the rounding rule and any fixed reduction. The raw record is kept at the bottom for an auditor.
 */

type Basis = Record<string, unknown>;
type Tier = { upTo: string | null; unitPrice: string };

export const LINE_STATUS_COLOR: Record<LineStatus, string> = { unpaid: 'error', partial: 'warning', paid: 'success', revoked: 'default' };

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function tiersText(tiers: Tier[], t: TFunction): string {
  return tiers.map((x) => `${x.upTo ? `≤${x.upTo}` : t('billingSetup.form.upToOpen')}: ${x.unitPrice}`).join(' · ');
}

/** One binding window of a periodic line: "2026-11-17 ~ 2026-11-30 · 89.50 ㎡ × 1.80 元/㎡·月 × 7/15 月". */
function WindowRow({ w, kind, t }: { w: Basis; kind: FeeKind; t: TFunction }) {
  const unit = t(priceUnitKey(kind));
  const price = `${str(w.unitPrice)} ${unit}`;
  const months = t('billingSetup.basis.monthsN', { months: monthsText(w.months) });
  const formula =
    kind === 'property'
      ? `${str(w.area)} ㎡ (${t(`billingSetup.areaBases.${(str(w.areaBasis) ?? 'built') as 'built'}`)}) × ${price} × ${months}`
      : num(w.monthlyFen) !== undefined
        ? `${formatYuan(num(w.monthlyFen))} ${t('billingSetup.units.perMonth')} × ${months}`
        : `${price} × ${months}`;
  const vacancy = Array.isArray(w.vacancy) ? (w.vacancy as Basis[]) : [];
  return (
    <Flex vertical gap={2} style={{ marginBottom: 6 }}>
      <Typography.Text>
        <Typography.Text type="secondary">
          {str(w.from)} ~ {str(w.to) ?? '…'}
        </Typography.Text>{' '}
        {formula}
        {str(w.priceSource) && str(w.priceSource) !== 'item' && <Tag style={{ marginLeft: 6 }}>{t(`billingSetup.basis.priceSource.${str(w.priceSource) as 'community'}`)}</Tag>}
      </Typography.Text>
      {num(w.baseMonthlyFen) !== undefined && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('billingSetup.basis.rentIncrease', { base: formatYuan(num(w.baseMonthlyFen)), percent: str(w.increasePercent), every: str(w.everyMonths), at: str(w.rentAt) })}
        </Typography.Text>
      )}
      {vacancy.map((v, i) => (
        <Typography.Text key={i} type="success" style={{ fontSize: 12 }}>
          {t('billingSetup.basis.vacancy', { from: str(v.from), to: str(v.to) ?? '…', months: monthsText(v.months), percent: plainDecimal(str(v.percent)) })}
        </Typography.Text>
      ))}
    </Flex>
  );
}

function basisItems(line: BillLine, t: TFunction): Array<{ key: string; label: string; children: ReactNode }> {
  const b = line.basis;
  const kind = line.itemKind;
  const out: Array<{ key: string; label: string; children: ReactNode }> = [];
  const add = (key: string, label: string, children: ReactNode) => out.push({ key, label, children });
  // A 公摊 basis does not record its meter kind: its price is shown without a unit.
  const unit = kind === 'shared' ? '' : t(priceUnitKey(kind));

  if (b.kind === 'lateFee') return lateFeeItems(line, t);

  if (Array.isArray(b.windows)) {
    add('windows', t('billingSetup.basis.windows'), (b.windows as Basis[]).map((w, i) => <WindowRow key={i} w={w} kind={kind} t={t} />));
    add('prorate', t('billingSetup.items.prorate'), b.prorate ? t('billingSetup.basis.prorateOn') : t('billingSetup.basis.prorateOff'));
  }
  if (b.readingId !== undefined) {
    add('meter', t('billingSetup.basis.meter'), str(b.meterNumber));
    add('readings', t('billingSetup.basis.readings'), `${plainDecimal(str(b.previous))} → ${plainDecimal(str(b.current))}${plainDecimal(str(b.multiplier) ?? '1') !== '1' ? ` × ${plainDecimal(str(b.multiplier))}` : ''}`);
    add('usage', t('billingSetup.basis.usage'), <b>{plainDecimal(str(b.usage))}</b>);
    if (Array.isArray(b.flags) && b.flags.length) add('flags', t('billingSetup.basis.flags'), (b.flags as string[]).map((f) => <Tag key={f}>{t(`billingSetup.readingFlags.${f as 'jump'}`, { defaultValue: f })}</Tag>));
  }
  if (b.buildingFen !== undefined) {
    const meters = Array.isArray(b.meters) ? (b.meters as Basis[]) : [];
    add('meters', t('billingSetup.basis.buildingMeters'), meters.map((m) => `${str(m.number)}: ${str(m.usage)}`).join(' · '));
    add('usage', t('billingSetup.basis.buildingUsage'), str(b.usage));
    add('price', b.tiers ? t('billingSetup.form.tiers') : t('billingSetup.items.unitPrice'), b.tiers && Array.isArray(b.tiers) ? tiersText(b.tiers as Tier[], t) : str(b.unitPrice));
    add('buildingAmount', t('billingSetup.basis.buildingAmount'), `¥${formatYuan(num(b.buildingFen))} (${t('billingSetup.basis.exact')} ${exactFenToYuan(str(b.buildingExactFen) ?? '0')})`);
    add(
      'share',
      t('billingSetup.form.shareMethod'),
      b.shareMethod === 'area'
        ? t('billingSetup.basis.shareByArea', { area: str(b.area), total: str(b.totalArea), households: num(b.households) })
        : t('billingSetup.basis.shareByHousehold', { households: num(b.households) }),
    );
  }
  // A 公摊 line showed its price with the building's usage above.
  if (b.buildingFen === undefined) {
    if (b.tiers && Array.isArray(b.tiers)) add('tiers', t('billingSetup.form.tiers'), `${tiersText(b.tiers as Tier[], t)} ${unit}`);
    else if (!Array.isArray(b.windows) && b.unitPrice !== undefined) add('price', t('billingSetup.items.unitPrice'), `${str(b.unitPrice)} ${unit}`);
  }
  if (!Array.isArray(b.windows) && b.priceSource && b.priceSource !== 'item') add('priceSource', t('billingSetup.basis.priceSourceLabel'), t(`billingSetup.basis.priceSource.${str(b.priceSource) as 'community'}`));
  if (b.date !== undefined) add('date', t('billingSetup.basis.date'), str(b.date));
  if (b.exactFen !== undefined) add('exact', t('billingSetup.basis.exact'), `¥${exactFenToYuan(str(b.exactFen) ?? '0')}`);
  if (b.rounding !== undefined) add('rounding', t('billingSetup.items.rounding'), `${t(`billingSetup.roundings.${str(b.rounding) as Rounding}`)}${num(b.roundedFen) !== undefined ? ` → ¥${formatYuan(num(b.roundedFen))}` : ''}`);
  if (num(b.reductionFen)) add('reduction', t('billingSetup.basis.reduction'), `−¥${formatYuan(num(b.reductionFen))}`);
  if (b.prepay && typeof b.prepay === 'object') {
    const p = b.prepay as Basis;
    add('prepay', t('billingSetup.discountKinds.prepay'), t('billingSetup.discountText.prepay', { pay: num(p.payMonths), free: num(p.freeMonths) }));
  }
  if (b.lateFee && typeof b.lateFee === 'object') {
    const lf = b.lateFee as Basis;
    add(
      'lateFee',
      t('billingSetup.form.lateFee'),
      lf.perDayPermille ? t('billingSetup.lateFeeText.perDay', { permille: str(lf.perDayPermille), grace: num(lf.graceDays) }) : t('billingSetup.lateFeeText.perMonth', { amount: formatYuan(num(lf.perMonthFen)), grace: num(lf.graceDays) }),
    );
  }
  return out;
}

/** How a 滞纳金 line was computed: its overdue bill, the days or months late, the rate; why it was waived. */
function lateFeeItems(line: BillLine, t: TFunction): Array<{ key: string; label: string; children: ReactNode }> {
  const b = line.basis;
  const grace = num(b.graceDays) ?? 0;
  const out: Array<{ key: string; label: string; children: ReactNode }> = [
    { key: 'source', label: t('billingSetup.basis.lateFeeSource'), children: t('billingSetup.basis.lateFeeSourceText', { period: line.periodKey, due: str(b.dueDate), paid: str(b.paidDate) }) },
    {
      key: 'rule',
      label: t('billingSetup.basis.lateFeeRule'),
      children: [
        b.perDayPermille
          ? t('billingSetup.basis.lateFeePerDay', { principal: formatYuan(num(b.principalFen)), permille: str(b.perDayPermille), days: lateFeeDays(str(b.dueDate) ?? '', str(b.paidDate) ?? '', grace), grace })
          : t('billingSetup.basis.lateFeePerMonth', { amount: formatYuan(num(b.perMonthFen)), grace, already: formatYuan(num(b.alreadyChargedFen) ?? 0) }),
        b.capFen ? t('billingSetup.basis.lateFeeCap', { cap: formatYuan(num(b.capFen)) }) : null,
      ]
        .filter(Boolean)
        .join('，'),
    },
  ];
  if (b.rounding !== undefined) out.push({ key: 'rounding', label: t('billingSetup.items.rounding'), children: t(`billingSetup.roundings.${str(b.rounding) as Rounding}`) });
  if (line.chargedByPaymentId) out.push({ key: 'payment', label: t('billingSetup.basis.chargedBy'), children: <Link to={`/billing/payments/${line.chargedByPaymentId}`}>{t('billingCash.counter.detail')}</Link> });
  if (line.waivedBy) out.push({ key: 'waived', label: t('billingSetup.basis.waivedReason'), children: line.waiveReason ?? '—' });
  return out;
}

/** A bill line and how it was computed. */
export function BasisDrawer({ line, onClose }: { line: BillLine | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={line !== null} onClose={onClose} size={640} title={t('billingSetup.basis.title')} destroyOnHidden data-testid="basis-drawer">
      {line && (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'item', label: t('billingSetup.bindings.item'), children: line.itemName, span: 2 },
              {
                key: 'target',
                label: t('billingSetup.bindings.target'),
                span: 2,
                children: line.roomId ? <Link to={`/estate/rooms/${line.roomId}?tab=billing`}>{line.roomLabel}</Link> : line.parkingSpaceNumber ? `${t('billingSetup.bindings.space')} ${line.parkingSpaceNumber}` : '—',
              },
              { key: 'period', label: t('billingSetup.runs.period'), children: line.periodStart === line.periodEnd ? line.periodStart : `${line.periodKey} (${line.periodStart} ~ ${line.periodEnd})`, span: 2 },
              { key: 'amount', label: t('billingSetup.bills.amount'), children: <b>¥{formatYuan(line.amountFen)}</b> },
              { key: 'paid', label: t('billingSetup.bills.paid'), children: `¥${formatYuan(line.paidFen)}` },
              { key: 'status', label: t('common.status'), children: <LineStatusTag line={line} /> },
              { key: 'due', label: t('billingSetup.bills.dueDate'), children: line.dueDate },
              { key: 'created', label: t('billingSetup.bills.createdAt'), children: formatDateTime(line.createdAt), span: 2 },
              ...(line.kind === 'charge' && (line.lateFeesChargedFen > 0 || line.lateFeeAccruedFen > 0)
                ? [
                    { key: 'lateFeesCharged', label: t('billingSetup.basis.lateFeesCharged'), children: `¥${formatYuan(line.lateFeesChargedFen)}` },
                    { key: 'lateFeeAccrued', label: t('billingSetup.basis.lateFeeAccrued'), children: line.lateFeeAccruedFen ? <Typography.Text type="warning">¥{formatYuan(line.lateFeeAccruedFen)}</Typography.Text> : '—' },
                  ]
                : []),
            ]}
          />
          <div data-testid="basis-readable">
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('billingSetup.basis.how')}
            </Typography.Title>
            <Descriptions size="small" column={1} bordered items={basisItems(line, t)} styles={{ label: { width: 130 } }} />
          </div>
          <Collapse
            size="small"
            items={[
              {
                key: 'raw',
                label: t('billingSetup.basis.raw'),
                children: <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(line.basis, null, 2)}</pre>,
              },
            ]}
          />
        </Flex>
      )}
    </Drawer>
  );
}

/** A line's status; a waived late fee reads 已减免, its reason on hover, rather than 已撤销. */
export function LineStatusTag({ line }: { line: Pick<BillLine, 'status' | 'waivedBy' | 'waiveReason'> }) {
  const { t } = useTranslation();
  if (line.waivedBy) {
    return (
      <Tooltip title={t('billingCash.lateFee.waivedReason', { reason: line.waiveReason ?? '—' })}>
        <Tag data-testid="late-fee-waived">{t('billingCash.lateFee.waived')}</Tag>
      </Tooltip>
    );
  }
  return <Tag color={LINE_STATUS_COLOR[line.status]}>{t(`billingSetup.lineStatuses.${line.status}`)}</Tag>;
}

/** A line's period key ("2026-11", a one-off's date), its dates on hover. */
export function PeriodText({ line }: { line: BillLine }) {
  const { t } = useTranslation();
  const oneOff = line.periodStart === line.periodEnd;
  return (
    <Tooltip title={`${line.periodStart} ~ ${line.periodEnd}`}>
      <span style={{ whiteSpace: 'nowrap' }}>{oneOff ? `${t('billingSetup.items.oneOff')} ${line.periodStart}` : line.periodKey}</span>
    </Tooltip>
  );
}

/** Where a line is billed: its room (linking to the room's 收费 tab) or its parking space. */
export function lineTarget(line: BillLine, t: TFunction): ReactNode {
  if (line.roomId) return <Link to={`/estate/rooms/${line.roomId}?tab=billing`}>{line.roomLabel}</Link>;
  if (line.parkingSpaceNumber) return `${t('billingSetup.bindings.space')} ${line.parkingSpaceNumber}`;
  return '—';
}
