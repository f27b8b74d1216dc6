import { useCallback, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Empty, Progress, Segmented, Select, Skeleton, type InputRef } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../auth/api.ts';
import { useBuildings } from '../../estate/api.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useBuildingMeters, usePeriodReadings, type Meter, type MeterKind, type Reading } from '../meter-api.ts';
import { MeterCard } from '../components/meter/MeterCard.tsx';
import '../components/meter/meter.css';

/** Business months are the communities' (Asia/Shanghai); the reader's phone may be set otherwise. */
function thisMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

/** "2026-01" ± n months. */
function shiftMonth(key: string, n: number): string {
  const [y, m] = key.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

const KIND_ORDER: MeterKind[] = ['water', 'electricity', 'gas'];
const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The order a reader walks a building: 公摊表 first, then room by room, water → electricity → gas. */
function walkOrder(a: Meter, b: Meter): number {
  if (!a.roomLabel !== !b.roomLabel) return a.roomLabel ? 1 : -1;
  return collator.compare(a.roomLabel ?? '', b.roomLabel ?? '') || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || collator.compare(a.number, b.number);
}

/**
 * 抄表 for staff with billing.manage: choose the community (when there are several), the building and the month (this
 * month by default), then enter each meter's reading in turn — Enter saves and moves to the next meter still to read.
 * Choices live in the address (`?c=&b=&period=&kind=`), so a reload comes back to the same list.
 */
export function MeterReadingPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [params, setParams] = useSearchParams();
  const communities = me.communities;
  const communityId = communities.find((c) => c.id === params.get('c'))?.id ?? communities[0]?.id;
  const buildings = useBuildings(communityId);
  const buildingList = buildings.data?.items ?? [];
  const buildingId = buildingList.find((b) => b.id === params.get('b'))?.id ?? (buildingList.length === 1 ? buildingList[0].id : undefined);
  const current = thisMonth();
  const period = /^\d{4}-\d{2}$/.test(params.get('period') ?? '') && params.get('period')! <= current ? params.get('period')! : current;
  const kindParam = params.get('kind');
  const kind = KIND_ORDER.find((k) => k === kindParam);

  const set = (patch: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const meters = useBuildingMeters(communityId, buildingId);
  const all = useMemo(() => [...(meters.data ?? [])].sort(walkOrder), [meters.data]);
  const kinds = KIND_ORDER.filter((k) => all.some((m) => m.kind === k));
  const list = kind ? all.filter((m) => m.kind === kind) : all;
  const periodKeys = useMemo(() => [...new Set([period, ...all.flatMap((m) => (m.lastReading ? [m.lastReading.periodKey] : []))])].sort(), [period, all]);
  const readings = usePeriodReadings(communityId, buildingId ? periodKeys : []);

  // Readings kept on this phone, shown at once (the lists are asked again behind them).
  const [saved, setSaved] = useState(() => new Map<string, Reading>());
  const doneOf = (m: Meter) => saved.get(`${period}:${m.id}`) ?? readings.byPeriod.get(period)?.get(m.id);
  const doneCount = list.filter((m) => doneOf(m)).length;

  const inputs = useRef(new Map<string, InputRef | null>());
  const refFor = useCallback((id: string) => (el: InputRef | null) => void inputs.current.set(id, el), []);
  const onSaved = (meterId: string, r: Reading) => {
    const nextSaved = new Map(saved).set(`${r.periodKey}:${meterId}`, r);
    setSaved(nextSaved);
    const at = list.findIndex((m) => m.id === meterId);
    const next = [...list.slice(at + 1), ...list.slice(0, at)].find((m) => !nextSaved.get(`${period}:${m.id}`) && !readings.byPeriod.get(period)?.get(m.id));
    if (!next) return;
    // After this render (the saved card drops its field), so the next field exists and takes the keyboard.
    setTimeout(() => {
      const el = inputs.current.get(next.id);
      el?.focus({ preventScroll: true });
      el?.input?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }, 0);
  };

  if (!communities.length) {
    return (
      <div className="m-page">
        <div className="m-card">
          <Empty description={t('billingMeter.noCommunities')} />
        </div>
      </div>
    );
  }

  const loading = Boolean(buildingId) && (meters.isPending || readings.pending);
  return (
    <div className="m-page" data-testid="m-meter-reading">
      <div className="mm-sticky">
        <div className="mm-choose">
          {communities.length > 1 && (
            <Select
              size="large"
              value={communityId}
              onChange={(v) => set({ c: v, b: undefined, kind: undefined })}
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
              aria-label={t('billingMeter.community')}
              data-testid="meter-community"
            />
          )}
          <div className="mm-period">
            <Select
              size="large"
              style={{ flex: 1, minWidth: 0 }}
              value={buildingId}
              placeholder={t('billingMeter.chooseBuilding')}
              loading={buildings.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(v) => set({ b: v, kind: undefined })}
              options={buildingList.map((b) => ({ value: b.id, label: b.name }))}
              aria-label={t('billingMeter.building')}
              data-testid="meter-building"
            />
            <Button size="large" icon={<LeftOutlined />} aria-label={t('billingMeter.prevPeriod')} onClick={() => set({ period: shiftMonth(period, -1) })} data-testid="meter-period-prev" />
            <span className="mm-period-key" style={{ flex: 'none' }} data-testid="meter-period">
              {period}
            </span>
            <Button size="large" icon={<RightOutlined />} aria-label={t('billingMeter.nextPeriod')} disabled={period >= current} onClick={() => set({ period: shiftMonth(period, 1) === current ? undefined : shiftMonth(period, 1) })} data-testid="meter-period-next" />
          </div>
          {buildingId && list.length > 0 && (
            <div data-testid="meter-progress">
              <div className="mm-progress">
                <span>{t('billingMeter.progress', { done: doneCount, total: list.length })}</span>
                {kinds.length > 1 && (
                  <Segmented<string>
                    size="small"
                    value={kind ?? ''}
                    onChange={(v) => set({ kind: v || undefined })}
                    options={[{ value: '', label: t('billingMeter.allKinds') }, ...kinds.map((k) => ({ value: k, label: t(`billingMeter.kinds.${k}`) }))]}
                    data-testid="meter-kind"
                  />
                )}
              </div>
              <Progress percent={Math.round((doneCount / list.length) * 100)} showInfo={false} size="small" status={doneCount === list.length ? 'success' : 'active'} />
            </div>
          )}
        </div>
      </div>

      {buildings.error ? (
        <QueryError error={buildings.error} onRetry={() => void buildings.refetch()} />
      ) : buildings.data && !buildingList.length ? (
        <div className="m-card">
          <Empty description={t('billingMeter.noBuildings')} />
        </div>
      ) : !buildingId ? (
        buildings.isPending ? (
          <div className="m-card">
            <Skeleton active />
          </div>
        ) : (
          <div className="m-card">
            <Empty description={t('billingMeter.chooseBuildingHint')} />
          </div>
        )
      ) : meters.error || readings.error ? (
        <QueryError
          error={meters.error ?? readings.error}
          onRetry={() => {
            void meters.refetch();
            readings.refetch();
          }}
        />
      ) : loading ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : !list.length ? (
        <div className="m-card">
          <Empty description={t('billingMeter.noMeters')} />
        </div>
      ) : (
        <>
          {doneCount === list.length && <Alert type="success" showIcon style={{ marginBottom: 10 }} title={t('billingMeter.allDone', { period })} />}
          {list.map((m) => (
            <MeterCard
              key={`${period}:${m.id}`}
              meter={m}
              communityId={communityId!}
              periodKey={period}
              done={doneOf(m)}
              lastUsage={m.lastReading ? readings.byPeriod.get(m.lastReading.periodKey)?.get(m.id)?.usage : undefined}
              inputRef={refFor(m.id)}
              onSaved={onSaved}
            />
          ))}
        </>
      )}
    </div>
  );
}
