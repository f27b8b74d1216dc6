import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { Alert, App, Button, Empty, Flex, Input, Popover, Select, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { CloseOutlined, CopyOutlined, LeftOutlined, PlusOutlined, RightOutlined, SaveOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { coverageGaps, mondayOf } from '../../../../../src/modules/rosters/rules.ts';
import { minutesOf, nextDay } from '../../../../../src/modules/rosters/onshift.ts';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { ApiError } from '../../../lib/api.ts';
import { useAbilities } from '../../auth/api.ts';
import { type Post, type RosterWeek, type Shift, useCopyWeek, useRosterWeek, useSaveWeek } from '../api.ts';
import { WEEKDAYS } from '../components/labels.ts';
import './board.css';

/** One entry of the board's working copy; `key` is stable while it is dragged around. */
interface Draft {
  key: string;
  day: string;
  userId: string;
  kind: 'work' | 'off' | 'leave';
  shiftId: string | null;
  postId: string | null;
}
type Drag = { userId: string; key?: string };
const NO_POST = '';
let seq = 0;
const newKey = () => `d${++seq}`;

const toDraft = (w: RosterWeek): Draft[] => w.entries.map((e) => ({ key: newKey(), day: e.day, userId: e.user.id, kind: e.kind, shiftId: e.shiftId, postId: e.postId }));

/**
 * 排班: a community's week as a board — rows are posts, columns the seven days × the shifts. People are dragged
 * from the list into a cell, between cells, or back to the list to remove them; each cell also has a + button for
 * keyboard users. 24-hour posts' gaps (fewer than the minimum staff at some hour) are worked out as the board
 * changes and shown in red; saving replaces the week on the server, which checks again and returns its own view.
 */
export default function RosterBoardPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const can = useAbilities();
  const manage = can('roster.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [monday, setMonday] = useState(() => mondayOf(dayjs().format('YYYY-MM-DD')));
  const week = useRosterWeek(communityId, monday);
  const before = useRosterWeek(communityId, nextDay(monday, -7));
  const save = useSaveWeek(communityId ?? '', monday);
  const copy = useCopyWeek();
  const [draft, setDraft] = useState<Draft[] | null>(null);
  const [dirty, setDirty] = useState(false);
  const [badKey, setBadKey] = useState<{ key: string; message: string } | null>(null);
  const [search, setSearch] = useState('');

  const data = week.data && week.data.monday === monday && week.data.communityId === communityId ? week.data : undefined;
  useEffect(() => {
    if (data && !dirty) setDraft(toDraft(data));
  }, [data, dirty]);

  const entries = draft ?? [];
  const shifts = useMemo(() => (data?.shifts ?? []).filter((s) => s.active || entries.some((e) => e.shiftId === s.id)), [data, entries]);
  const shiftById = useMemo(() => new Map((data?.shifts ?? []).map((s) => [s.id, s])), [data]);
  const posts = data?.posts ?? [];
  const names = useMemo(() => new Map((data?.staff ?? []).map((s) => [s.id, s.name])), [data]);
  const days = data?.days ?? [];

  // The coverage of the working copy, as the server will judge it (the Sunday before counts for Monday's early hours).
  const gaps = useMemo(() => {
    if (!data) return [];
    const sunday = (before.data?.entries ?? []).filter((e) => e.day === nextDay(monday, -1)).map((e) => ({ day: e.day, kind: e.kind, shiftId: e.shiftId, postId: e.postId }));
    const work = [...entries, ...sunday].filter((e) => e.kind === 'work' && e.postId && e.shiftId && shiftById.has(e.shiftId));
    return coverageGaps(
      posts.filter((p) => p.roundTheClock && p.active).map((p) => ({ id: p.id, minStaff: p.minStaff })),
      days,
      work.map((e) => ({ postId: e.postId!, day: e.day, shift: { start: shiftById.get(e.shiftId!)!.startTime, end: shiftById.get(e.shiftId!)!.endTime } })),
    );
  }, [data, before.data, entries, posts, days, shiftById, monday]);
  const longShifts = entries.filter((e) => e.kind === 'work' && e.postId && posts.find((p) => p.id === e.postId)?.roundTheClock && e.shiftId && shiftById.get(e.shiftId)?.tooLongFor24h);

  const change = (next: Draft[]) => {
    setDraft(next);
    setDirty(true);
    setBadKey(null);
  };
  /** Puts a person in a cell (moving the dragged entry when there is one); a day off there gives way to the shift. */
  const place = (drag: Drag, day: string, shiftId: string, postId: string | null) => {
    const rest = entries.filter((e) => e.key !== drag.key && !(e.userId === drag.userId && e.day === day && e.kind !== 'work'));
    if (rest.some((e) => e.userId === drag.userId && e.day === day && e.shiftId === shiftId)) {
      message.warning(`${names.get(drag.userId) ?? ''} · ${t('rosters.board.addTo', { day, shift: shiftById.get(shiftId)?.name ?? '' })}`);
      return;
    }
    change([...rest, { key: drag.key ?? newKey(), day, userId: drag.userId, kind: 'work', shiftId, postId }]);
  };
  /** A day off or leave replaces the person's shifts of that day. */
  const placeOff = (drag: Drag, day: string, kind: 'off' | 'leave') => {
    const rest = entries.filter((e) => e.key !== drag.key && !(e.userId === drag.userId && e.day === day));
    change([...rest, { key: drag.key ?? newKey(), day, userId: drag.userId, kind, shiftId: null, postId: null }]);
  };
  const remove = (key: string) => change(entries.filter((e) => e.key !== key));

  const goTo = (target: string) => {
    const go = () => {
      setDirty(false);
      setDraft(null);
      setMonday(target);
    };
    if (dirty) modal.confirm({ title: t('rosters.board.unsaved'), content: t('rosters.board.discard'), onOk: go });
    else go();
  };

  const onSave = async () => {
    try {
      const saved = await save.mutateAsync({ entries: entries.map((e) => ({ day: e.day, userId: e.userId, kind: e.kind, shiftId: e.shiftId, postId: e.postId })) });
      setDirty(false);
      setDraft(toDraft(saved));
      message.success(t('rosters.board.saved'));
    } catch (err) {
      // The server names the entry it refused (entries[3].shiftId): mark that chip.
      const field = err instanceof ApiError ? err.fieldIssues[0]?.field : undefined;
      const index = field ? Number(/^entries\[(\d+)\]/.exec(field)?.[1]) : NaN;
      if (!Number.isNaN(index) && entries[index]) setBadKey({ key: entries[index].key, message: (err as Error).message });
      message.error((err as Error).message);
    }
  };

  const onCopy = async (overwrite = false) => {
    if (!communityId) return;
    try {
      const res = await copy.mutateAsync({ communityId, monday, overwrite });
      message.success(t('rosters.board.copyDone', { copied: res.copied }));
      goTo(nextDay(monday, 7));
    } catch (err) {
      if (err instanceof ApiError && err.fieldIssues.some((f) => f.field === 'overwrite')) modal.confirm({ title: t('rosters.board.copyConfirm'), onOk: () => onCopy(true) });
      else message.error((err as Error).message);
    }
  };

  const hoursOf = (userId: string) => entries.filter((e) => e.userId === userId && e.kind === 'work' && e.shiftId).reduce((n, e) => n + (shiftById.get(e.shiftId!)?.minutes ?? 0), 0) / 60;
  const isGap = (postId: string, day: string, shift: Shift) => {
    const s = minutesOf(shift.startTime);
    const end = shift.endTime === '00:00' || minutesOf(shift.endTime) <= s ? 1440 : minutesOf(shift.endTime);
    return gaps.some((g) => g.postId === postId && g.day === day && minutesOf(g.from) < end && (g.to === '24:00' ? 1440 : minutesOf(g.to)) > s);
  };

  const rows: Array<Post | null> = [...posts, null];
  const visibleStaff = (data?.staff ?? []).filter((p) => !search || p.name.includes(search));
  const chip = (e: Draft, compact = false) => (
    <PersonChip
      key={e.key}
      name={names.get(e.userId) ?? '?'}
      kind={e.kind}
      bad={badKey?.key === e.key ? badKey.message : undefined}
      draggable={manage}
      compact={compact}
      onDragStart={(ev) => setDrag(ev, { userId: e.userId, key: e.key })}
      onRemove={manage ? () => remove(e.key) : undefined}
      onToggle={manage && e.kind !== 'work' ? () => change(entries.map((x) => (x.key === e.key ? { ...x, kind: x.kind === 'off' ? 'leave' : 'off' } : x))) : undefined}
      labels={{ kind: e.kind === 'work' ? '' : t(`rosters.board.${e.kind}`), remove: t('rosters.board.remove') }}
    />
  );

  return (
    <>
      <PageHeader
        title={t('rosters.board.title')}
        subtitle={t('rosters.board.subtitle')}
        extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && (setDirty(false), setDraft(null), setCommunityId(id))} testId="board-community" />}
      />
      {!communityId ? (
        <Empty description={t('rosters.common.chooseCommunity')} />
      ) : (
        <>
          <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
            <Button icon={<LeftOutlined />} onClick={() => goTo(nextDay(monday, -7))} data-testid="board-prev">
              {t('rosters.board.prevWeek')}
            </Button>
            <Button onClick={() => goTo(mondayOf(dayjs().format('YYYY-MM-DD')))}>{t('rosters.board.thisWeek')}</Button>
            <Button onClick={() => goTo(nextDay(monday, 7))} data-testid="board-next">
              {t('rosters.board.nextWeek')} <RightOutlined />
            </Button>
            <Typography.Text strong data-testid="board-week">
              {t('rosters.board.weekOf', { from: monday, to: nextDay(monday, 6) })}
            </Typography.Text>
            <span style={{ flex: 1 }} />
            {dirty && <Tag color="gold">{t('rosters.board.unsaved')}</Tag>}
            {manage && dirty && (
              <Button icon={<UndoOutlined />} onClick={() => (setDirty(false), data && setDraft(toDraft(data)))}>
                {t('rosters.board.discard')}
              </Button>
            )}
            {manage && (
              <Button icon={<CopyOutlined />} onClick={() => onCopy()} disabled={dirty} loading={copy.isPending} data-testid="board-copy">
                {t('rosters.board.copy')}
              </Button>
            )}
            {manage && (
              <Button type="primary" icon={<SaveOutlined />} onClick={onSave} disabled={!dirty} loading={save.isPending} data-testid="board-save">
                {t('rosters.board.save')}
              </Button>
            )}
          </Flex>
          {week.error && <QueryError error={week.error} onRetry={() => void week.refetch()} />}
          {data && (
            <Alert
              style={{ marginBottom: 12 }}
              type={gaps.length || longShifts.length ? 'error' : 'success'}
              showIcon
              data-testid="board-coverage"
              message={gaps.length ? t('rosters.board.gaps', { count: gaps.length }) : t('rosters.board.coverageOk')}
              description={
                gaps.length || longShifts.length ? (
                  <div style={{ maxHeight: 96, overflow: 'auto' }}>
                    {gaps.map((g) => (
                      <div key={`${g.postId}${g.day}${g.from}`}>
                        {t('rosters.board.gapLine', { post: posts.find((p) => p.id === g.postId)?.name, day: `${g.day.slice(5)} ${t(`rosters.board.weekdays.${WEEKDAYS[days.indexOf(g.day)]}`)}`, from: g.from, to: g.to, staffed: g.staffed, min: posts.find((p) => p.id === g.postId)?.minStaff })}
                      </div>
                    ))}
                    {longShifts.length > 0 && <div>{t('rosters.board.longShift', { count: longShifts.length })}</div>}
                  </div>
                ) : undefined
              }
            />
          )}
          {!data ? (
            <Spin />
          ) : shifts.length === 0 ? (
            <Empty description={t('rosters.board.noShifts')} />
          ) : (
            <Flex gap={12} align="flex-start">
              <div
                className="rb-side"
                data-testid="board-people"
                onDragOver={(ev) => manage && ev.preventDefault()}
                onDrop={(ev) => {
                  const d = readDrag(ev);
                  if (d?.key) remove(d.key);
                }}
              >
                <Typography.Text strong>{t('rosters.board.people')}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 6px' }}>
                  {t('rosters.board.peopleHint')}
                </Typography.Paragraph>
                <Input size="small" allowClear placeholder={t('rosters.board.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 6 }} />
                {visibleStaff.map((p) => (
                  <div key={p.id} className="rb-person" draggable={manage} onDragStart={(ev) => setDrag(ev, { userId: p.id })} data-testid={`board-person-${p.name}`} title={p.roles.join('、')}>
                    <span>{p.name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('rosters.board.hours', { hours: hoursOf(p.id) })}
                    </Typography.Text>
                  </div>
                ))}
              </div>
              <div className="rb-scroll">
                <table className="rb-table" data-testid="board-table">
                  <thead>
                    <tr>
                      <th rowSpan={2} className="rb-post">
                        {t('rosters.board.post')}
                      </th>
                      {days.map((d, i) => (
                        <th key={d} colSpan={shifts.length} className={`rb-day${i === 0 ? '' : ' rb-daystart'}`}>
                          {t(`rosters.board.weekdays.${WEEKDAYS[i]}`)} {d.slice(5)}
                        </th>
                      ))}
                    </tr>
                    <tr>
                      {days.map((d, i) =>
                        shifts.map((s, j) => (
                          <th key={`${d}${s.id}`} className={`rb-shift${j === 0 && i > 0 ? ' rb-daystart' : ''}`} style={{ borderTop: `3px solid ${s.color ?? '#d9d9d9'}` }} title={`${s.startTime}–${s.endTime}`}>
                            {s.name}
                          </th>
                        )),
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((post) => (
                      <tr key={post?.id ?? 'none'}>
                        <th className="rb-post">
                          {post ? post.name : <Typography.Text type="secondary">{t('rosters.board.noPost')}</Typography.Text>}
                          {post?.roundTheClock && (
                            <Tag color="volcano" style={{ marginLeft: 4 }}>
                              24h{post.minStaff > 1 ? ` ≥${post.minStaff}` : ''}
                            </Tag>
                          )}
                        </th>
                        {days.map((d, i) =>
                          shifts.map((s, j) => {
                            const here = entries.filter((e) => e.kind === 'work' && e.day === d && e.shiftId === s.id && (e.postId ?? NO_POST) === (post?.id ?? NO_POST));
                            const gap = post?.roundTheClock && isGap(post.id, d, s);
                            return (
                              <td
                                key={`${d}${s.id}`}
                                className={`rb-cell${gap ? ' rb-gap' : ''}${j === 0 && i > 0 ? ' rb-daystart' : ''}`}
                                data-testid={`cell-${post?.name ?? 'none'}-${d}-${s.code}`}
                                onDragOver={(ev) => manage && (ev.preventDefault(), ev.currentTarget.classList.add('rb-over'))}
                                onDragLeave={(ev) => ev.currentTarget.classList.remove('rb-over')}
                                onDrop={(ev) => {
                                  ev.currentTarget.classList.remove('rb-over');
                                  const drag = readDrag(ev);
                                  if (drag) place(drag, d, s.id, post?.id ?? null);
                                }}
                              >
                                {here.map((e) => chip(e, true))}
                                {manage && <AddButton staff={data.staff} label={t('rosters.board.addTo', { day: d, shift: s.name })} onPick={(userId) => place({ userId }, d, s.id, post?.id ?? null)} />}
                              </td>
                            );
                          }),
                        )}
                      </tr>
                    ))}
                    <tr className="rb-offrow">
                      <th className="rb-post">{t('rosters.board.offRow')}</th>
                      {days.map((d, i) => (
                        <td
                          key={d}
                          colSpan={shifts.length}
                          className={`rb-cell${i > 0 ? ' rb-daystart' : ''}`}
                          data-testid={`cell-off-${d}`}
                          onDragOver={(ev) => manage && (ev.preventDefault(), ev.currentTarget.classList.add('rb-over'))}
                          onDragLeave={(ev) => ev.currentTarget.classList.remove('rb-over')}
                          onDrop={(ev) => {
                            ev.currentTarget.classList.remove('rb-over');
                            const drag = readDrag(ev);
                            if (drag) placeOff(drag, d, 'off');
                          }}
                        >
                          {entries.filter((e) => e.kind !== 'work' && e.day === d).map((e) => chip(e))}
                          {manage && (
                            <AddButton
                              staff={data.staff}
                              label={t('rosters.board.addOff')}
                              extra={[
                                { value: 'off', label: t('rosters.board.addOff') },
                                { value: 'leave', label: t('rosters.board.addLeave') },
                              ]}
                              onPick={(userId, kind) => placeOff({ userId }, d, (kind as 'off' | 'leave') ?? 'off')}
                            />
                          )}
                        </td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </div>
            </Flex>
          )}
        </>
      )}
    </>
  );
}

function setDrag(ev: DragEvent, drag: Drag) {
  ev.dataTransfer.setData('application/x-anju-roster', JSON.stringify(drag));
  ev.dataTransfer.setData('text/plain', drag.userId);
  ev.dataTransfer.effectAllowed = 'move';
}

function readDrag(ev: DragEvent): Drag | null {
  ev.preventDefault();
  try {
    const raw = ev.dataTransfer.getData('application/x-anju-roster');
    return raw ? (JSON.parse(raw) as Drag) : null;
  } catch {
    return null;
  }
}

function PersonChip(props: {
  name: string;
  kind: Draft['kind'];
  bad?: string;
  draggable: boolean;
  compact?: boolean;
  onDragStart: (ev: DragEvent) => void;
  onRemove?: () => void;
  onToggle?: () => void;
  labels: { kind: string; remove: string };
}) {
  const body = (
    <span className={`rb-chip rb-${props.kind}${props.bad ? ' rb-bad' : ''}`} draggable={props.draggable} onDragStart={props.onDragStart} data-testid={`chip-${props.name}`}>
      {props.bad && <WarningOutlined />}
      {props.kind !== 'work' && (
        <button type="button" className="rb-kind" onClick={props.onToggle} disabled={!props.onToggle}>
          {props.labels.kind}
        </button>
      )}
      {props.name}
      {props.onRemove && (
        <button type="button" className="rb-x" aria-label={props.labels.remove} onClick={props.onRemove}>
          <CloseOutlined />
        </button>
      )}
    </span>
  );
  return props.bad ? <Tooltip title={props.bad} open>{body}</Tooltip> : body;
}

/** The keyboard way in: a + that opens a searchable list of the community's staff. */
function AddButton({ staff, label, onPick, extra }: { staff: RosterWeek['staff']; label: string; onPick: (userId: string, kind?: string) => void; extra?: Array<{ value: string; label: string }> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState(extra?.[0]?.value);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      destroyOnHidden
      content={
        <Space direction="vertical">
          {extra && <Select size="small" value={kind} onChange={setKind} options={extra} style={{ width: 200 }} />}
          <Select
            autoFocus
            showSearch
            open
            size="small"
            placeholder={t('rosters.board.choosePerson')}
            optionFilterProp="label"
            style={{ width: 200 }}
            options={staff.map((p) => ({ value: p.id, label: p.name }))}
            onChange={(id: string) => {
              onPick(id, kind);
              setOpen(false);
            }}
          />
          <div style={{ height: 180 }} />
        </Space>
      }
    >
      <Tooltip title={label}>
        <button type="button" className="rb-add" aria-label={label}>
          <PlusOutlined />
        </button>
      </Tooltip>
    </Popover>
  );
}


