import { useEffect, useState } from 'react';
import { Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useResidents, type Resident } from '../api.ts';

/**
 * Picks a resident by searching the server (name, phone, last 4 digits, plate or room number), within one
 * community when given. Shows the masked phone and their rooms so two people of the same name can be told apart.
 */
export function ResidentPicker({
  value,
  onChange,
  communityId,
  testId,
  placeholder,
}: {
  value?: string;
  onChange?: (id: string | undefined, resident?: Resident) => void;
  communityId?: string;
  testId?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const list = useResidents({ q, communityId, pageSize: 20 }, q.length > 0);
  // The chosen one stays among the options after the search box clears, so the select keeps showing its name.
  const [picked, setPicked] = useState<Resident | undefined>();
  const found = q ? (list.data?.items ?? []) : [];
  const items = picked && picked.id === value && !found.some((r) => r.id === picked.id) ? [picked, ...found] : found;

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      allowClear
      value={value}
      placeholder={placeholder ?? t('residents.pickPlaceholder')}
      onChange={(id: string | undefined) => {
        const r = items.find((x) => x.id === id);
        setPicked(r);
        onChange?.(id, r);
      }}
      loading={list.isFetching}
      notFoundContent={q ? (list.isFetching ? t('common.loading') : t('residents.noMatch')) : t('residents.typeToSearch')}
      data-testid={testId}
      optionLabelProp="label"
      options={items.map((r) => ({
        value: r.id,
        label: `${r.name}${r.phone ? ` · ${r.phone}` : ''}`,
        title: r.name,
        // The dropdown shows more than the chosen value does.
        display: r,
      }))}
      optionRender={(o) => {
        const r = (o.data as { display: Resident }).display;
        return (
          <div data-testid="resident-option">
            <Typography.Text strong>{r.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {r.phone ?? ''}
            </Typography.Text>
            <div style={{ fontSize: 12, color: '#8c8c8c' }}>{r.rooms.filter((x) => x.current).map((x) => `${x.communityName} ${x.label}`).join('、') || t('residents.noRoom')}</div>
          </div>
        );
      }}
    />
  );
}
