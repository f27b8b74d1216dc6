import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Dashboard, dashboardQuery } from '../../../../src/modules/servicedesk/dashboard-schema.ts';
import { api } from '../../lib/api.ts';

export type { Dashboard };
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export function useDashboard(q: DashboardQuery) {
  return useQuery({
    queryKey: ['tickets', 'dashboard', q],
    queryFn: () => api.get<Dashboard>('/api/service-desk/dashboard', q),
    placeholderData: keepPreviousData,
    refetchInterval: 5 * 60_000,
  });
}
