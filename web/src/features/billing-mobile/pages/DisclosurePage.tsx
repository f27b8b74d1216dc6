import { useSearchParams } from 'react-router-dom';
import { Empty, Skeleton, Tag, Typography } from 'antd';
import { BankOutlined, FundOutlined, TagsOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useDisclosure, useOwnerBilling, type Disclosure } from '../api.ts';
import { ownerCommunities } from '../pay.ts';
import { yuan } from '../labels.ts';
import '../billing-mobile.css';

type Standard = Disclosure['feeStandards'][number];

/**
 * 收支公示 of a community where I have a home: the fee standards, the year's public income and expenses by month,
 * and the maintenance fund (balance, deposits, interest, what was spent on which repair). `?community=&year=`.
 */
export function DisclosurePage() {
  const { t } = useTranslation();
  const billing = useOwnerBilling();
  const [params, setParams] = useSearchParams();
  const communities = billing.data ? ownerCommunities(billing.data) : [];
  const communityId = communities.find((c) => c.id === params.get('community'))?.id ?? communities[0]?.id;
  const thisYear = dayjs().year();
  const asked = Number(params.get('year'));
  const year = asked >= thisYear - 2 && asked <= thisYear ? asked : thisYear;
  const disclosure = useDisclosure(communityId, year);
  const choose = (key: 'community' | 'year', value: string) => setParams((p) => ({ ...Object.fromEntries(p), [key]: value }), { replace: true });

  if (billing.error) return <div className="m-page"><QueryError error={billing.error} onRetry={() => void billing.refetch()} /></div>;
  if (!billing.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  if (!communityId) {
    return (
      <div className="m-page">
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noCommunity')} />
        </div>
      </div>
    );
  }

  return (
    <div className="m-page" data-testid="mb-disclosure">
      {communities.length > 1 && (
        <div className="m-chips" style={{ marginBottom: 10 }}>
          {communities.map((c) => (
            <button key={c.id} type="button" className={c.id === communityId ? 'm-chip active' : 'm-chip'} onClick={() => choose('community', c.id)}>
              {c.name}
            </button>
          ))}
        </div>
      )}
      <div className="m-chips" style={{ marginBottom: 12 }} data-testid="mb-years">
        {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
          <button key={y} type="button" className={y === year ? 'm-chip small active' : 'm-chip small'} onClick={() => choose('year', String(y))}>
            {y}
          </button>
        ))}
      </div>
      {disclosure.error ? (
        <QueryError error={disclosure.error} onRetry={() => void disclosure.refetch()} />
      ) : !disclosure.data ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : (
        <DisclosureView d={disclosure.data} />
      )}
    </div>
  );
}

function DisclosureView({ d }: { d: Disclosure }) {
  const { t, i18n } = useTranslation();
  // 8月 / Aug: the month's name in the page's language.
  const monthName = new Intl.DateTimeFormat(i18n.language, { month: 'short' });
  const months = d.months.filter((m) => m.income.totalFen !== 0 || m.expense.totalFen !== 0 || m.income.feesCollectedFen !== 0);
  const { income, expense } = d.totals;
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '0 4px 12px' }}>
        {d.community.name} · {t('billingMobile.disclosureNote')}
      </Typography.Paragraph>

      <div className="m-card" data-testid="mb-fee-standards">
        <div className="m-card-title">
          <TagsOutlined /> {t('billingMobile.feeStandards')}
        </div>
        {d.feeStandards.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noFeeStandards')} />
        ) : (
          d.feeStandards.map((s, i) => (
            <div className="mb-line" key={`${s.name}-${i}`}>
              <div className="mb-line-main">
                <div className="mb-line-name">{s.name}</div>
                <div className="mb-line-sub">{priceText(t, s)}</div>
              </div>
              <div style={{ flex: 'none', textAlign: 'right' }}>
                <Tag style={{ marginInlineEnd: 0 }}>{t(`billingMobile.cycles.${s.cycle}`)}</Tag>
                <div className="mb-line-sub" style={{ marginTop: 2 }}>
                  {t(`billingMobile.billingModes.${s.billingMode}`)}
                </div>
              </div>
            </div>
          ))
        )}
      </div>

      <div className="m-card" data-testid="mb-income-expense">
        <div className="m-card-title">
          <FundOutlined /> {t('billingMobile.incomeExpense')}
        </div>
        <div className="mb-stats" style={{ marginBottom: 12 }}>
          <Stat label={t('billingMobile.income')} fen={income.totalFen} testId="mb-income-total" />
          <Stat label={t('billingMobile.expense')} fen={expense.totalFen} />
          <Stat label={t('billingMobile.surplus')} fen={income.totalFen - expense.totalFen} wide />
        </div>
        {months.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noMonths')} />
        ) : (
          <>
            <div className="mb-month head">
              <span />
              <span>{t('billingMobile.income')}</span>
              <span>{t('billingMobile.expense')}</span>
            </div>
            {months.map((m) => (
              <div className="mb-month" key={m.month} data-testid="mb-month">
                <span>{monthName.format(new Date(Number(m.month.slice(0, 4)), Number(m.month.slice(5)) - 1, 15))}</span>
                <span>{formatYuan(m.income.totalFen)}</span>
                <span>{formatYuan(m.expense.totalFen)}</span>
              </div>
            ))}
            <Categories title={t('billingMobile.income')} rows={[{ category: t('billingMobile.feeIncome'), amountFen: income.feesFen, note: t('billingMobile.feeIncomeNet', { collected: formatYuan(income.feesCollectedFen), refunded: formatYuan(income.feesRefundedFen) }) }, ...income.categories]} />
            {expense.categories.length > 0 && <Categories title={t('billingMobile.expense')} rows={expense.categories} />}
          </>
        )}
      </div>

      <div className="m-card" data-testid="mb-fund">
        <div className="m-card-title">
          <BankOutlined /> {t('billingMobile.fund')}
        </div>
        <div className="mb-stats" style={{ marginBottom: 12 }}>
          <Stat label={t('billingMobile.fundBalance')} fen={d.fund.balanceFen} testId="mb-fund-balance" />
          <Stat label={t('billingMobile.fundDeposit')} fen={d.fund.depositFen} />
          <Stat label={t('billingMobile.fundInterest')} fen={d.fund.interestFen} />
          <Stat label={t('billingMobile.fundSpending')} fen={d.fund.spendingFen} />
          {d.fund.adjustmentFen !== 0 && <Stat label={t('billingMobile.fundAdjustment')} fen={d.fund.adjustmentFen} />}
        </div>
        <div className="mb-period">{t('billingMobile.fundSpendingList')}</div>
        {d.fund.spending.length === 0 ? (
          <div className="mb-line-sub">{t('billingMobile.noFundSpending')}</div>
        ) : (
          d.fund.spending.map((s, i) => (
            <div className="mb-line" key={i} data-testid="mb-fund-spending">
              <div className="mb-line-main">
                <div className="mb-line-name">{s.description}</div>
                <div className="mb-line-sub">
                  {s.occurredOn}
                  {s.ticketNo ? ` · ${s.ticketNo}` : ''}
                  {s.ticketTitle ? ` ${s.ticketTitle}` : ''}
                </div>
              </div>
              <div className="mb-amount">{yuan(t, s.amountFen)}</div>
            </div>
          ))
        )}
      </div>
    </>
  );
}

function Stat({ label, fen, testId, wide }: { label: string; fen: number; testId?: string; wide?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="mb-stat" style={wide ? { gridColumn: 'span 2' } : undefined}>
      <div className="mb-stat-label">{label}</div>
      <div className="mb-stat-value" data-testid={testId}>
        {yuan(t, fen)}
      </div>
    </div>
  );
}

function Categories({ title, rows }: { title: string; rows: Array<{ category: string; amountFen: number; note?: string }> }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="mb-period" style={{ marginTop: 14 }}>
        {title}
      </div>
      {rows.map((r) => (
        <div className="mb-line" key={r.category} style={{ minHeight: 40 }}>
          <div className="mb-line-main">
            <div className="mb-line-name" style={{ fontSize: 14 }}>
              {r.category}
            </div>
            {r.note && <div className="mb-line-sub">{r.note}</div>}
          </div>
          <div className="mb-amount" style={{ fontWeight: 400, fontSize: 14 }}>
            {yuan(t, r.amountFen)}
          </div>
        </div>
      ))}
    </>
  );
}

/** A decimal as stored ("1.8000") the way it is quoted: prices with at least 2 places ("1.80", "3.025"), quantities with none ("20"). */
function decimal(text: string, minScale = 2): string {
  const m = /^(-?\d+)(?:\.(\d*?)0*)?$/.exec(text);
  if (!m) return text;
  const fraction = (m[2] ?? '').padEnd(minScale, '0');
  return fraction ? `${m[1]}.${fraction}` : m[1]!;
}

/** "1.80 元/㎡·月 · 按建筑面积", or the tiers of a tiered price. */
function priceText(t: TFunction, s: Standard): string {
  const unit = t(`billingMobile.units.${s.kind}`);
  if (s.tiers?.length) {
    const tiers = s.tiers.map((tier) => (tier.upTo === null ? t('billingMobile.tierRest', { price: `${decimal(tier.unitPrice)} ${unit}` }) : t('billingMobile.tier', { upTo: decimal(tier.upTo, 0), price: `${decimal(tier.unitPrice)} ${unit}` })));
    return t('billingMobile.tiered', { tiers: tiers.join(t('billingMobile.tierSeparator')) });
  }
  const price = s.unitPrice === null ? '—' : `${decimal(s.unitPrice)} ${unit}`;
  return s.kind === 'property' ? `${price} · ${t(`billingMobile.areaBases.${s.areaBasis}`)}` : price;
}
