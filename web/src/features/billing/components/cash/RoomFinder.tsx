import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities, useCurrentMe } from '../../../auth/api.ts';
import { useBuildingsOf, useRooms } from '../../../estate/api.ts';
import { useResidents } from '../../../residents/api.ts';

/** "3栋" / "3 栋" / "3号楼" / "A座" → "3" / "A": a building name as people type it. */
function bare(name: string): string {
  return name.replace(/\s+/g, '').replace(/(号楼|栋|幢|座|楼)$/u, '').toUpperCase();
}

/**
 * "3栋 1201", "3-1201", "3栋1201" → building "3", room "1201"; a lone "1201" → room only. The room search matches
 * the room number, so the building part narrows it to one building when it names one.
 */
export function splitRoomQuery(text: string): { building: string | null; room: string } {
  const s = text.trim();
  const m = /^(.+?)(?:号楼|栋|幢|座)\s*-?\s*(?:\S+单元\s*-?\s*)?(\S+)$/u.exec(s) ?? /^([^\s-]+)[\s-]+(?:\S+单元[\s-]*)?(\S+)$/u.exec(s);
  if (m) return { building: bare(m[1]), room: m[2] };
  return { building: null, room: s };
}

interface Option {
  value: string;
  label: string;
}

/**
 * Finds a room by its number (optionally after the building: "3栋 1201") or by an owner's name or phone's last four
 * digits; the server searches both, once the typing pauses.
 */
export function RoomFinder({ communityId, value, valueLabel, onChange }: { communityId: string | undefined; value?: string; valueLabel?: string; onChange: (roomId: string | undefined) => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useAbilities();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const communityIds = communityId ? [communityId] : me.communities.map((c) => c.id);
  const buildings = useBuildingsOf(communityIds);
  const split = splitRoomQuery(q);
  const building = useMemo(() => {
    if (!split.building) return undefined;
    for (const b of buildings) for (const x of b.data?.items ?? []) if (bare(x.name) === split.building) return x;
    return undefined;
  }, [buildings, split.building]);
  const roomQ = (split.building ? split.room : q).slice(0, 16);
  const rooms = useRooms({ communityId, buildingId: building?.id, q: roomQ, pageSize: 20 }, q.length > 0);
  const residents = useResidents({ communityId, q: q.slice(0, 40), pageSize: 10 }, q.length > 0 && !building && can('resident.read'));

  const many = !communityId && me.communities.length > 1;
  const [chosen, setChosen] = useState<Option | null>(null);
  const roomOptions: Option[] = (rooms.data?.items ?? []).map((r) => ({ value: r.id, label: many ? `${r.communityName} · ${r.label}` : r.label }));
  const seen = new Set(roomOptions.map((o) => o.value));
  const ownerOptions: Option[] = [];
  for (const r of residents.data?.items ?? []) {
    for (const link of r.rooms) {
      if (!link.current || seen.has(link.roomId)) continue;
      seen.add(link.roomId);
      ownerOptions.push({ value: link.roomId, label: `${r.name} · ${many ? `${link.communityName} · ` : ''}${link.label}` });
    }
  }
  const options = [
    ...(roomOptions.length ? [{ label: t('billingCash.counter.groupRooms'), options: roomOptions }] : []),
    ...(ownerOptions.length ? [{ label: t('billingCash.counter.groupOwners'), options: ownerOptions }] : []),
  ];
  // The chosen room keeps its label when a later search no longer lists it (or it came in the address).
  const current = chosen?.value === value ? chosen : value && valueLabel ? { value, label: valueLabel } : null;
  if (current && !seen.has(current.value)) options.unshift({ label: t('billingCash.counter.groupRooms'), options: [current] });
  const fetching = rooms.isFetching || residents.isFetching;

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      autoFocus
      size="large"
      value={value}
      onChange={(v: string | undefined) => {
        setChosen([...roomOptions, ...ownerOptions].find((o) => o.value === v) ?? null);
        onChange(v);
      }}
      placeholder={t('billingCash.counter.searchPlaceholder')}
      loading={fetching}
      options={options}
      notFoundContent={q ? (fetching ? t('common.loading') : t('billingCash.counter.noMatch')) : null}
      style={{ width: 460, maxWidth: '100%' }}
      data-testid="counter-room-search"
    />
  );
}
