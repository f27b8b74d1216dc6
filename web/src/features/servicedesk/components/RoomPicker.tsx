import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRooms } from '../../estate/api.ts';

/** A room of one community, found by typing part of its number ("1203", "3栋"); the server searches. */
export function RoomPicker({ communityId, value, onChange, testId }: { communityId: string | undefined; value?: string; onChange?: (id: string | undefined) => void; testId?: string }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  // Ask the server once the typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim().slice(0, 16)), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const rooms = useRooms({ communityId, q: q || undefined, pageSize: 20 }, Boolean(communityId));
  // The chosen room keeps its label when a later search no longer lists it.
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
      placeholder={t('servicedesk.form.roomPlaceholder')}
      loading={rooms.isFetching}
      disabled={!communityId}
      options={options}
      notFoundContent={rooms.isFetching ? t('common.loading') : t('servicedesk.form.noRoom')}
      data-testid={testId}
    />
  );
}
