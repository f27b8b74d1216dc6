import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../features/auth/api.ts';

export const ALL_COMMUNITIES = 'all';
const STORAGE_KEY = 'anju.community';

type CommunityRef = Me['communities'][number];

interface CurrentCommunity {
  /** `'all'` or the id of one of the caller's communities. */
  communityId: string;
  /** The chosen community, or null for "all communities". */
  community: CommunityRef | null;
  setCommunityId: (id: string) => void;
}

const Ctx = createContext<CurrentCommunity | null>(null);

function stored(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? ALL_COMMUNITIES;
  } catch {
    return ALL_COMMUNITIES;
  }
}

/**
 * The header's community switcher. The choice survives reloads; a remembered id the caller may no longer
 * see (another account, a changed assignment) falls back to all communities.
 */
export function CommunityProvider({ communities, children }: { communities: Me['communities']; children: ReactNode }) {
  const [chosen, setChosen] = useState(stored);
  const value = useMemo<CurrentCommunity>(() => {
    const community = communities.find((c) => c.id === chosen) ?? null;
    return {
      communityId: community ? community.id : ALL_COMMUNITIES,
      community,
      setCommunityId: (id) => {
        setChosen(id);
        try {
          localStorage.setItem(STORAGE_KEY, id);
        } catch {
          // Private mode: remembered for this page only.
        }
      },
    };
  }, [communities, chosen]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useCurrentCommunity(): CurrentCommunity {
  const v = useContext(Ctx);
  if (!v) throw new Error('useCurrentCommunity outside CommunityProvider');
  return v;
}
