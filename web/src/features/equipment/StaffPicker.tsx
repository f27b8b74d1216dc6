import { useState } from 'react';
import { Select } from 'antd';
import { useAbilities } from '../auth/api.ts';
import { useStaffList } from '../staff/api.ts';

/** An active staff member, searched by name; the server checks they work in the community. */
export function StaffPicker({ value, onChange, placeholder }: { value?: string | null; onChange?: (id: string | null) => void; placeholder?: string }) {
  const can = useAbilities();
  const [q, setQ] = useState('');
  const list = useStaffList({ status: 'active', q: q || undefined, pageSize: 50 }, can('staff.read'));
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder}
      loading={list.isFetching}
      style={{ width: 240 }}
      options={list.data?.items.map((s) => ({ value: s.id, label: `${s.displayName}（${s.roles.map((r) => r.name).join('、')}）` }))}
    />
  );
}
