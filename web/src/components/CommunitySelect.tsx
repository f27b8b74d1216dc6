import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../app/console/community.tsx';
import { useCurrentMe } from '../features/auth/api.ts';

/**
 * The community a page works in, for pages that need exactly one (zones, committee, import, export): the header's
 * choice when it names one, else a choice made on the page, starting with the caller's first community.
 */
export function usePageCommunity(): { communityId: string | undefined; setCommunityId: (id: string) => void; fromHeader: boolean } {
  const me = useCurrentMe();
  const { community } = useCurrentCommunity();
  const [local, setLocal] = useState<string | undefined>(undefined);
  if (community) return { communityId: community.id, setCommunityId: setLocal, fromHeader: true };
  const chosen = me.communities.find((c) => c.id === local)?.id ?? me.communities[0]?.id;
  return { communityId: chosen, setCommunityId: setLocal, fromHeader: false };
}

/** A select of the caller's communities. `allowAll` adds "all communities" (value undefined). */
export function CommunitySelect({
  value,
  onChange,
  allowAll,
  width = 180,
  testId,
}: {
  value?: string;
  onChange?: (id: string | undefined) => void;
  allowAll?: boolean;
  width?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  return (
    <Select
      value={value ?? (allowAll ? '' : undefined)}
      onChange={(v: string) => onChange?.(v || undefined)}
      style={{ width }}
      aria-label={t('header.community')}
      data-testid={testId}
      options={[...(allowAll ? [{ value: '', label: t('header.allCommunities') }] : []), ...me.communities.map((c) => ({ value: c.id, label: c.name }))]}
      notFoundContent={t('header.noCommunity')}
    />
  );
}
