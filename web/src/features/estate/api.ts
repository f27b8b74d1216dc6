import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  building,
  buildingGrid,
  buildingQuery,
  changeStatusBody,
  commonPart,
  createBuildingBody,
  createCommonPartBody,
  createParkingSpaceBody,
  createPhaseBody,
  createRoomBody,
  createZoneBody,
  parkingQuery,
  parkingSpace,
  phase,
  room,
  roomDetail,
  roomQuery,
  updateParkingSpaceBody,
  updateRoomBody,
  updateZoneBody,
  zone,
  BUILDING_KINDS,
  PARKING_KINDS,
  ROOM_KINDS,
  ROOM_STATUSES,
} from '../../../../src/modules/estate/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type Building = z.infer<typeof building>;
export type BuildingGrid = z.infer<typeof buildingGrid>;
export type GridRoom = BuildingGrid['floors'][number]['rooms'][number];
export type Room = z.infer<typeof room>;
export type RoomDetail = z.infer<typeof roomDetail>;
export type ParkingSpace = z.infer<typeof parkingSpace>;
export type Zone = z.infer<typeof zone>;
export type CommonPart = z.infer<typeof commonPart>;
export type Phase = z.infer<typeof phase>;
export type RoomStatus = (typeof ROOM_STATUSES)[number];
export type RoomKind = (typeof ROOM_KINDS)[number];
export type BuildingKind = (typeof BUILDING_KINDS)[number];
export type ParkingKind = (typeof PARKING_KINDS)[number];

export type BuildingQuery = Partial<z.infer<typeof buildingQuery>>;
export type RoomQuery = Partial<z.infer<typeof roomQuery>>;
export type ParkingQuery = Partial<z.infer<typeof parkingQuery>>;
export type CreateBuildingInput = z.input<typeof createBuildingBody>;
export type CreateRoomInput = z.input<typeof createRoomBody>;
export type UpdateRoomInput = z.infer<typeof updateRoomBody>;
export type ChangeStatusInput = z.infer<typeof changeStatusBody>;
export type CreateParkingInput = z.input<typeof createParkingSpaceBody>;
export type UpdateParkingInput = z.infer<typeof updateParkingSpaceBody>;
export type CreateZoneInput = z.input<typeof createZoneBody>;
export type UpdateZoneInput = z.infer<typeof updateZoneBody>;
export type CreateCommonPartInput = z.input<typeof createCommonPartBody>;

export interface Division {
  code: string;
  name: string;
  children?: Division[];
}

export const estateKeys = {
  all: ['estate'] as const,
  buildings: (q: BuildingQuery) => ['estate', 'buildings', q] as const,
  building: (id: string) => ['estate', 'building', id] as const,
  grid: (id: string) => ['estate', 'grid', id] as const,
  rooms: (q: RoomQuery) => ['estate', 'rooms', q] as const,
  room: (id: string) => ['estate', 'room', id] as const,
  parking: (q: ParkingQuery) => ['estate', 'parking', q] as const,
  zones: (communityId?: string) => ['estate', 'zones', communityId] as const,
  commonParts: (communityId?: string) => ['estate', 'commonParts', communityId] as const,
  phases: (communityId?: string) => ['estate', 'phases', communityId] as const,
  divisions: ['divisions'] as const,
};

/** Buildings of one community, at most 200 (a community has dozens). */
export function useBuildings(communityId: string | undefined, enabled = true) {
  const q: BuildingQuery = { communityId, pageSize: 200 };
  return useQuery({ queryKey: estateKeys.buildings(q), queryFn: () => api.get<Page<Building>>('/api/buildings', q), enabled: enabled && Boolean(communityId) });
}

/** The buildings of several communities at once (the estate tree's expanded nodes). */
export function useBuildingsOf(communityIds: string[]) {
  return useQueries({
    queries: communityIds.map((communityId) => {
      const q: BuildingQuery = { communityId, pageSize: 200 };
      return { queryKey: estateKeys.buildings(q), queryFn: () => api.get<Page<Building>>('/api/buildings', q) };
    }),
  });
}

export function useBuildingGrid(id: string | undefined) {
  return useQuery({ queryKey: estateKeys.grid(id ?? ''), queryFn: () => api.get<BuildingGrid>(`/api/buildings/${id}/grid`), enabled: Boolean(id), placeholderData: keepPreviousData });
}

export function useRooms(q: RoomQuery, enabled = true) {
  return useQuery({ queryKey: estateKeys.rooms(q), queryFn: () => api.get<Page<Room>>('/api/rooms', q), placeholderData: keepPreviousData, enabled });
}

export function useRoom(id: string | undefined) {
  return useQuery({ queryKey: estateKeys.room(id ?? ''), queryFn: () => api.get<RoomDetail>(`/api/rooms/${id}`), enabled: Boolean(id) });
}

function useInvalidateEstate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: estateKeys.all });
}

export function useCreateBuilding() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: CreateBuildingInput) => api.post<Building>('/api/buildings', input), onSuccess: done });
}

export function useAddUnit() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: ({ buildingId, name }: { buildingId: string; name: string }) => api.post<Building>(`/api/buildings/${buildingId}/units`, { name }), onSuccess: done });
}

export function useCreateRoom() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: CreateRoomInput) => api.post<Room>('/api/rooms', input), onSuccess: done });
}

export function useUpdateRoom() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: UpdateRoomInput }) => api.patch<Room>(`/api/rooms/${id}`, input), onSuccess: done });
}

export function useChangeRoomStatus() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: ChangeStatusInput }) => api.post<RoomDetail>(`/api/rooms/${id}/status`, input), onSuccess: done });
}

export function useParkingSpaces(q: ParkingQuery) {
  return useQuery({ queryKey: estateKeys.parking(q), queryFn: () => api.get<Page<ParkingSpace>>('/api/parking-spaces', q), placeholderData: keepPreviousData });
}

export function useCreateParkingSpace() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: CreateParkingInput) => api.post<ParkingSpace>('/api/parking-spaces', input), onSuccess: done });
}

export function useUpdateParkingSpace() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: UpdateParkingInput }) => api.patch<ParkingSpace>(`/api/parking-spaces/${id}`, input), onSuccess: done });
}

export function useZones(communityId: string | undefined) {
  return useQuery({ queryKey: estateKeys.zones(communityId), queryFn: () => api.get<{ items: Zone[] }>('/api/zones', { communityId }), enabled: Boolean(communityId) });
}

export function useCreateZone() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: CreateZoneInput) => api.post<Zone>('/api/zones', input), onSuccess: done });
}

export function useUpdateZone() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: UpdateZoneInput }) => api.patch<Zone>(`/api/zones/${id}`, input), onSuccess: done });
}

export function useCommonParts(communityId: string | undefined) {
  return useQuery({ queryKey: estateKeys.commonParts(communityId), queryFn: () => api.get<{ items: CommonPart[] }>('/api/common-parts', { communityId }), enabled: Boolean(communityId) });
}

export function useCreateCommonPart() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: CreateCommonPartInput) => api.post<CommonPart>('/api/common-parts', input), onSuccess: done });
}

export function usePhases(communityId: string | undefined) {
  return useQuery({ queryKey: estateKeys.phases(communityId), queryFn: () => api.get<{ items: Phase[] }>('/api/phases', { communityId }), enabled: Boolean(communityId) });
}

/** Province → city → district (GB/T 2260); the same for everyone and cached by the browser for a day. */
export function useDivisions(enabled = true) {
  return useQuery({ queryKey: estateKeys.divisions, queryFn: () => api.get<{ items: Division[] }>('/api/divisions'), staleTime: Infinity, enabled });
}

export function useCreatePhase() {
  const done = useInvalidateEstate();
  return useMutation({ mutationFn: (input: z.input<typeof createPhaseBody>) => api.post<Phase>('/api/phases', input), onSuccess: done });
}
