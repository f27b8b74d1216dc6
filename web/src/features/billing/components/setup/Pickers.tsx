import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBuildings, useParkingSpaces, useRoom, useRooms } from '../../../estate/api.ts';
import { useAllFeeItems, type FeeItem, type FeeKind } from '../../api-setup.ts';

/** Typing pauses a quarter of a second before the server is asked. */
function useDebounced(text: string, max: number) {
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim().slice(0, max)), 250);
    return () => clearTimeout(timer);
  }, [text, max]);
  return q;
}

interface PickerProps {
  communityId: string | undefined;
  value?: string;
  onChange?: (id: string | undefined) => void;
  testId?: string;
  width?: number | string;
  placeholder?: string;
}

/** A room of one community, found by typing part of its number ("1203", "3栋"). */
export function RoomSelect({ communityId, value, onChange, testId, width = '100%', placeholder }: PickerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed, 16);
  const rooms = useRooms({ communityId, q: q || undefined, pageSize: 20 }, Boolean(communityId));
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const options = (rooms.data?.items ?? []).map((r) => ({ value: r.id, label: r.label }));
  if (chosen && chosen.value === value && !options.some((o) => o.value === value)) options.unshift(chosen);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      value={value}
      onChange={(v: string | undefined) => {
        setChosen(options.find((o) => o.value === v) ?? null);
        onChange?.(v);
      }}
      placeholder={placeholder ?? t('billingSetup.pickers.room')}
      loading={rooms.isFetching}
      disabled={!communityId}
      options={options}
      style={{ width }}
      notFoundContent={rooms.isFetching ? t('common.loading') : t('billingSetup.pickers.noRoom')}
      data-testid={testId}
    />
  );
}

/** A parking space of one community, by number. */
export function SpaceSelect({ communityId, value, onChange, testId, width = '100%' }: PickerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed, 20);
  const spaces = useParkingSpaces({ communityId, q: q || undefined, pageSize: 20 });
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const options = (spaces.data?.items ?? []).map((s) => ({ value: s.id, label: s.number }));
  if (chosen && chosen.value === value && !options.some((o) => o.value === value)) options.unshift(chosen);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      value={value}
      onChange={(v: string | undefined) => {
        setChosen(options.find((o) => o.value === v) ?? null);
        onChange?.(v);
      }}
      placeholder={t('billingSetup.pickers.space')}
      loading={spaces.isFetching}
      disabled={!communityId}
      options={options}
      style={{ width }}
      data-testid={testId}
    />
  );
}

/** The buildings of one community. */
export function BuildingSelect({ communityId, value, onChange, testId, width = 160, placeholder }: PickerProps) {
  const { t } = useTranslation();
  const buildings = useBuildings(communityId);
  return (
    <Select
      allowClear
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      placeholder={placeholder ?? t('billingSetup.pickers.allBuildings')}
      loading={buildings.isFetching}
      disabled={!communityId}
      options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
      style={{ width }}
      data-testid={testId}
    />
  );
}

/** The company's fee items (optionally those enabled in one community), with their kind. */
export function ItemSelect({ communityId, value, onChange, testId, width = 200, placeholder, filter }: PickerProps & { filter?: (item: FeeItem) => boolean }) {
  const { t } = useTranslation();
  const items = useAllFeeItems(communityId);
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      placeholder={placeholder ?? t('billingSetup.pickers.allItems')}
      loading={items.isFetching}
      options={(items.data?.items ?? []).filter((i) => (filter ? filter(i) : true)).map((i) => ({ value: i.id, label: `${i.name} · ${t(`billingSetup.kinds.${i.kind}`)}` }))}
      style={{ width }}
      data-testid={testId}
    />
  );
}

/** A room's label, looked up by id (vacancy approvals carry only the id), linking to the room page. */
export function RoomLink({ roomId, label }: { roomId: string; label?: string | null }) {
  const room = useRoom(label ? undefined : roomId);
  return <Link to={`/estate/rooms/${roomId}`}>{label ?? room.data?.label ?? '…'}</Link>;
}

/** An item's name with its kind as a tag, unless the name already says it ("物业费"). */
export function ItemLabel({ name, kind }: { name: string; kind: FeeKind }) {
  const { t } = useTranslation();
  const kindName = t(`billingSetup.kinds.${kind}`);
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {name} {name !== kindName && <Tag>{kindName}</Tag>}
    </span>
  );
}
