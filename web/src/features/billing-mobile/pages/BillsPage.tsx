import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Checkbox, Empty, Skeleton, Tag } from 'antd';
import { CheckCircleFilled, FundOutlined, HistoryOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useOwnerBilling, type OwnerLine, type OwnerRoomBilling, type Provider } from '../api.ts';
import { byPeriod, isOpen, selectedLateFees, selectedOwed } from '../pay.ts';
import { periodLabel, yuan } from '../labels.ts';
import { PaySheet } from '../components/PaySheet.tsx';
import '../billing-mobile.css';

/**
 * 我的账单: for each of my homes what it owes and its prepaid balances, the open bills by period (all ticked), the
 * ticked total and 去缴费, then what was paid in the last year.
 */
export function BillsPage() {
  const { t } = useTranslation();
  const billing = useOwnerBilling();
  const [params, setParams] = useSearchParams();

  if (billing.error) return <div className="m-page"><QueryError error={billing.error} onRetry={() => void billing.refetch()} /></div>;
  if (!billing.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const { rooms, providers } = billing.data;
  if (rooms.length === 0) {
    return (
      <div className="m-page">
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noRooms')} />
        </div>
      </div>
    );
  }
  const room = rooms.find((r) => r.roomId === params.get('room')) ?? rooms[0]!;
  const hasOpen = room.lines.some(isOpen);

  return (
    <div className={hasOpen ? 'm-page mb-with-paybar' : 'm-page'} data-testid="mb-bills">
      {rooms.length > 1 && (
        <div className="m-chips" style={{ marginBottom: 12 }} data-testid="mb-rooms">
          {rooms.map((r) => (
            <button key={r.roomId} type="button" className={r.roomId === room.roomId ? 'm-chip active' : 'm-chip'} onClick={() => setParams({ room: r.roomId }, { replace: true })} data-testid="mb-room-chip">
              {r.label}
              {r.owedFen > 0 && <span style={{ color: '#fa541c' }}> · {yuan(t, r.owedFen)}</span>}
            </button>
          ))}
        </div>
      )}
      {/* A new room is a new selection: everything ticked again. */}
      <RoomBills key={room.roomId} room={room} providers={providers} />
      <div className="mb-links">
        <Link to="/payments" className="mb-link" data-testid="mb-history-link">
          <HistoryOutlined /> {t('billingMobile.history')}
        </Link>
        <Link to="/disclosure" className="mb-link" data-testid="mb-disclosure-link">
          <FundOutlined /> {t('billingMobile.disclosure')}
        </Link>
      </div>
    </div>
  );
}

function RoomBills({ room, providers }: { room: OwnerRoomBilling; providers: Provider[] }) {
  const { t } = useTranslation();
  // The lines the owner unticked: every open line is ticked, also one that appears after a refetch.
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [attempt, setAttempt] = useState(0);
  const [paying, setPaying] = useState(false);
  const open = room.lines.filter(isOpen);
  const paid = room.lines.filter((l) => l.status === 'paid');
  const selected = new Set(open.filter((l) => !unticked.has(l.id)).map((l) => l.id));
  const total = selectedOwed(open, selected);
  const lateFees = selectedLateFees(open, selected);
  const accrued = selectedLateFees(open, new Set(open.map((l) => l.id)));
  const toggle = (ids: string[], on: boolean) =>
    setUnticked((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.delete(id);
        else next.add(id);
      }
      return next;
    });
  const balances = (['general', 'property', 'utilities'] as const).filter((k) => room.balances[k] !== 0);

  return (
    <>
      <div className={room.owedFen > 0 ? 'mb-summary' : 'mb-summary clear'} data-testid="mb-summary">
        <div className="mb-summary-room">
          {room.community} · {room.label}
        </div>
        <div className="mb-summary-label">{t('billingMobile.owed')}</div>
        <div className="mb-big-amount" data-testid="mb-owed">
          {yuan(t, room.owedFen)}
        </div>
        {accrued > 0 && (
          <div className="mb-summary-late" data-testid="mb-owed-late-fee">
            {t('billingMobile.lateFeeTotal', { amount: yuan(t, accrued) })}
          </div>
        )}
        {balances.length > 0 && (
          <div className="mb-balances" data-testid="mb-balances">
            <span>{t('billingMobile.balances')}</span>
            {balances.map((k) => (
              <span key={k}>
                {t(`billingMobile.balanceKinds.${k}`)} {yuan(t, room.balances[k])}
              </span>
            ))}
          </div>
        )}
        {room.bonuses.length > 0 && (
          <div className="mb-balances" data-testid="mb-bonuses">
            <span>{t('billingMobile.bonuses')}</span>
            {room.bonuses.map((b, i) => (
              <span key={`${b.createdAt}-${i}`}>
                {b.remainingFen > 0
                  ? t('billingMobile.bonusLine', { item: b.itemName, months: b.freeMonths, amount: yuan(t, b.remainingFen) })
                  : t('billingMobile.bonusUsedUp', { item: b.itemName, months: b.freeMonths })}
              </span>
            ))}
          </div>
        )}
      </div>

      {open.length > 0 && providers.length === 0 && <Alert type="info" showIcon title={t('billingMobile.noProviders')} style={{ marginBottom: 12 }} />}

      <div className="m-card" data-testid="mb-open">
        <div className="m-card-title" style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{t('billingMobile.openBills')}</span>
          {open.length > 1 && (
            <Checkbox
              checked={selected.size === open.length}
              indeterminate={selected.size > 0 && selected.size < open.length}
              onChange={(e) => toggle(open.map((l) => l.id), e.target.checked)}
              data-testid="mb-select-all"
            >
              {t('billingMobile.selectAll')}
            </Checkbox>
          )}
        </div>
        {open.length === 0 ? (
          <div style={{ textAlign: 'center', padding: '12px 0', color: '#52c41a' }} data-testid="mb-no-open">
            <CheckCircleFilled style={{ fontSize: 28 }} />
            <div style={{ marginTop: 6, color: '#666' }}>{t('billingMobile.noOpenBills')}</div>
          </div>
        ) : (
          byPeriod(open).map((g) => (
            <div key={g.periodKey}>
              <div className="mb-period">{periodLabel(t, g.periodKey)}</div>
              {g.lines.map((l) => (
                <OpenLine key={l.id} line={l} checked={selected.has(l.id)} onChange={(on) => toggle([l.id], on)} />
              ))}
            </div>
          ))
        )}
      </div>

      <div className="m-card" data-testid="mb-paid">
        <div className="m-card-title">{t('billingMobile.paidBills')}</div>
        {paid.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingMobile.noPaidBills')} />
        ) : (
          byPeriod([...paid].reverse()).map((g) => (
            <div key={g.periodKey}>
              <div className="mb-period">{periodLabel(t, g.periodKey)}</div>
              {g.lines.map((l) => (
                <div className="mb-line" key={l.id} data-testid="mb-paid-line">
                  <div className="mb-line-main">
                    <div className="mb-line-name">
                      {l.itemName}
                      <LateFeeTag line={l} />
                    </div>
                    <div className="mb-line-sub">
                      {l.periodStart} ~ {l.periodEnd}
                    </div>
                  </div>
                  <div className="mb-amount" style={{ fontWeight: 400 }}>
                    {yuan(t, l.amountFen)}
                    <div>
                      <Tag color="success" style={{ marginInlineEnd: 0 }}>
                        {t('billingMobile.paidTag')}
                      </Tag>
                    </div>
                  </div>
                </div>
              ))}
            </div>
          ))
        )}
      </div>

      {open.length > 0 && (
        <div className="mb-paybar" data-testid="mb-paybar">
          <div className="mb-paybar-total">
            <div>
              {t('billingMobile.selectedTotal')} <span className="mb-paybar-amount" data-testid="mb-selected-total">{yuan(t, total)}</span>
            </div>
            <div className="mb-line-sub">
              {t('billingMobile.selectedCount', { count: selected.size })}
              {lateFees > 0 && (
                <span className="mb-paybar-late" data-testid="mb-selected-late-fee">
                  {' · '}
                  {t('billingMobile.lateFeeIncluded', { amount: yuan(t, lateFees) })}
                </span>
              )}
            </div>
          </div>
          <Button
            type="primary"
            size="large"
            disabled={total === 0 || providers.length === 0}
            onClick={() => {
              setAttempt((a) => a + 1);
              setPaying(true);
            }}
            data-testid="mb-pay"
          >
            {t('billingMobile.payButton')}
          </Button>
        </div>
      )}
      {attempt > 0 && (
        <PaySheet key={attempt} open={paying} onClose={() => setPaying(false)} lineIds={open.filter((l) => selected.has(l.id)).map((l) => l.id)} amountFen={total} providers={providers} />
      )}
    </>
  );
}

function OpenLine({ line, checked, onChange }: { line: OwnerLine; checked: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  const late = line.dueDate < dayjs().format('YYYY-MM-DD');
  return (
    <div className="mb-line" role="presentation" onClick={() => onChange(!checked)} style={{ cursor: 'pointer' }} data-testid="mb-open-line" data-line={line.id}>
      {/* The whole row ticks; the box's own click must not tick it a second time. */}
      <span onClick={(e) => e.stopPropagation()}>
        <Checkbox checked={checked} onChange={(e) => onChange(e.target.checked)} aria-label={line.itemName} />
      </span>
      <div className="mb-line-main">
        <div className="mb-line-name">
          {line.itemName}
          <LateFeeTag line={line} />
        </div>
        {line.status === 'partial' ? (
          <div className="mb-line-sub">{t('billingMobile.partPaid', { paid: formatYuan(line.paidFen), owed: formatYuan(line.owedFen) })}</div>
        ) : (
          <div className="mb-line-sub">
            {line.periodStart} ~ {line.periodEnd}
          </div>
        )}
        <div className={late ? 'mb-line-sub late' : 'mb-line-sub'}>
          {late ? `${t('billingMobile.overdue')} · ` : ''}
          {t('billingMobile.dueOn', { date: line.dueDate })}
        </div>
      </div>
      {/* With the late fee paying it today adds: what this line puts into the total. */}
      <div className="mb-amount">
        {yuan(t, line.owedFen + line.lateFeeAccruedFen)}
        {line.lateFeeAccruedFen > 0 && (
          <div className="mb-line-late-fee" data-testid="mb-line-late-fee">
            {t('billingMobile.lateFeeIncluded', { amount: yuan(t, line.lateFeeAccruedFen) })}
          </div>
        )}
      </div>
    </div>
  );
}

/** 滞纳金 beside a late-fee line's item name. */
function LateFeeTag({ line }: { line: OwnerLine }) {
  const { t } = useTranslation();
  if (line.kind !== 'lateFee') return null;
  return (
    <Tag color="magenta" style={{ marginInlineStart: 6, marginInlineEnd: 0 }} data-testid="mb-late-fee-tag">
      {t('billingMobile.lateFeeTag')}
    </Tag>
  );
}
