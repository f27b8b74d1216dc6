import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as s from '../../../../src/modules/billing/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type Meter = z.infer<typeof s.meter>;
export type MeterKind = Meter['kind'];
export type Reading = z.infer<typeof s.reading>;
export type ReadingInput = z.input<typeof s.createReadingBody>;

export const meterKeys = {
  all: ['billingMeter'] as const,
  meters: (communityId: string, buildingId: string) => ['billingMeter', 'meters', communityId, buildingId] as const,
  readings: (communityId: string, periodKey: string) => ['billingMeter', 'readings', communityId, periodKey] as const,
};

/** Every page of a list (the server caps a page at 200). */
async function all<T>(path: string, query: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<Page<T>>(path, { ...query, page, pageSize: 200 });
    items.push(...res.items);
    if (items.length >= res.total || res.items.length === 0) return items;
  }
}

/** The building's meters in service (room meters and 公摊表), each with its latest reading. */
export function useBuildingMeters(communityId: string | undefined, buildingId: string | undefined) {
  return useQuery({
    queryKey: meterKeys.meters(communityId ?? '', buildingId ?? ''),
    queryFn: () => all<Meter>('/api/meters', { communityId: communityId!, buildingId: buildingId!, status: 'active' }),
    enabled: Boolean(communityId && buildingId),
  });
}

/**
 * The community's readings of some periods, by period then meter id: the chosen period (what is already read) and the
 * periods of the meters' last readings (the usage then).
 */
export function usePeriodReadings(communityId: string | undefined, periodKeys: string[]) {
  const results = useQueries({
    queries: periodKeys.map((periodKey) => ({
      queryKey: meterKeys.readings(communityId ?? '', periodKey),
      queryFn: () => all<Reading>('/api/meter-readings', { communityId: communityId!, periodKey }),
      enabled: Boolean(communityId),
    })),
  });
  const byPeriod = new Map<string, Map<string, Reading>>();
  periodKeys.forEach((key, i) => {
    const data = results[i]?.data;
    if (data) byPeriod.set(key, new Map(data.map((r) => [r.meterId, r])));
  });
  return { byPeriod, error: results.find((r) => r.error)?.error ?? null, pending: results.some((r) => r.isPending), refetch: () => results.forEach((r) => void r.refetch()) };
}

/** Enters one reading from the phone; the meters and the period's readings are asked again afterwards. */
export function useEnterReading(communityId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<ReadingInput, 'source'>) => api.post<Reading>('/api/meter-readings', { ...input, source: 'phone' }),
    onSuccess: (r) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['billingMeter', 'meters', communityId ?? ''] }),
        qc.invalidateQueries({ queryKey: meterKeys.readings(communityId ?? '', r.periodKey) }),
      ]),
  });
}
