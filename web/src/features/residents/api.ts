import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  committeeMember,
  createCommitteeMemberBody,
  createHoldingBody,
  createMoveInBody,
  createResidentBody,
  createVehicleBody,
  endLinkBody,
  handoverBody,
  householdRequest,
  inspectionBody,
  linkResidentBody,
  moveIn,
  moveOutBody,
  parkingHolding,
  requestQuery,
  residentDetail,
  residentQuery,
  revealed,
  roomHousehold,
  updateResidentBody,
  updateVehicleBody,
  vehicle,
  ID_TYPES,
  RELATIONS,
} from '../../../../src/modules/residents/schema.ts';
import type { Resident } from '../../../../src/modules/residents/schema.ts';
import type { CARE_FLAGS } from '../../../../src/modules/residents/rules.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';
import { estateKeys } from '../estate/api.ts';

export type { Resident };
export type ResidentDetail = z.infer<typeof residentDetail>;
export type Vehicle = z.infer<typeof vehicle>;
export type RoomHousehold = z.infer<typeof roomHousehold>;
export type RoomLink = RoomHousehold['current'][number];
export type MoveIn = z.infer<typeof moveIn>;
export type HouseholdRequest = z.infer<typeof householdRequest>;
export type CommitteeMember = z.infer<typeof committeeMember>;
export type ParkingHolding = z.infer<typeof parkingHolding>;
export type Revealed = z.infer<typeof revealed>;
export type Relation = (typeof RELATIONS)[number];
export type IdType = (typeof ID_TYPES)[number];
export type CareFlag = (typeof CARE_FLAGS)[number];

export type ResidentQuery = Partial<z.infer<typeof residentQuery>>;
export type RequestQuery = Partial<z.infer<typeof requestQuery>>;
export type CreateResidentInput = z.input<typeof createResidentBody>;
export type UpdateResidentInput = z.infer<typeof updateResidentBody>;
export type LinkResidentInput = z.input<typeof linkResidentBody>;
export type EndLinkInput = z.infer<typeof endLinkBody>;
export type MoveOutInput = z.infer<typeof moveOutBody>;
export type CreateVehicleInput = z.input<typeof createVehicleBody>;
export type UpdateVehicleInput = z.infer<typeof updateVehicleBody>;
export type CreateHoldingInput = z.infer<typeof createHoldingBody>;
export type CreateCommitteeInput = z.infer<typeof createCommitteeMemberBody>;
export type CreateMoveInInput = z.input<typeof createMoveInBody>;
export type InspectionInput = z.input<typeof inspectionBody>;
export type HandoverInput = z.input<typeof handoverBody>;

export const residentKeys = {
  all: ['residents'] as const,
  search: (q: ResidentQuery) => ['residents', 'search', q] as const,
  detail: (id: string) => ['residents', 'detail', id] as const,
  household: (roomId: string) => ['residents', 'household', roomId] as const,
  moveIns: (roomId: string) => ['residents', 'moveIns', roomId] as const,
  holdings: (spaceId: string) => ['residents', 'holdings', spaceId] as const,
  committee: (communityId?: string) => ['residents', 'committee', communityId] as const,
  requests: (q: RequestQuery) => ['residents', 'requests', q] as const,
};

/** Room links, move-ins and move-outs change both the residents' side and the room (its status). */
function useInvalidate() {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: residentKeys.all });
    await qc.invalidateQueries({ queryKey: estateKeys.all });
  };
}

export function useResidents(q: ResidentQuery, enabled = true) {
  return useQuery({ queryKey: residentKeys.search(q), queryFn: () => api.get<Page<Resident>>('/api/residents', q), placeholderData: keepPreviousData, enabled });
}

export function useResident(id: string | undefined) {
  return useQuery({ queryKey: residentKeys.detail(id ?? ''), queryFn: () => api.get<ResidentDetail>(`/api/residents/${id}`), enabled: Boolean(id) });
}

export function useCreateResident() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (input: CreateResidentInput) => api.post<ResidentDetail>('/api/residents', input), onSuccess: done });
}

export function useUpdateResident() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: UpdateResidentInput }) => api.patch<ResidentDetail>(`/api/residents/${id}`, input), onSuccess: done });
}

/** Phone and ID number in full; the server writes this to the audit trail. Never cached. */
export function useRevealResident() {
  return useMutation({ mutationFn: (id: string) => api.post<Revealed>(`/api/residents/${id}/reveal`) });
}

export function useRoomHousehold(roomId: string | undefined) {
  return useQuery({ queryKey: residentKeys.household(roomId ?? ''), queryFn: () => api.get<RoomHousehold>(`/api/rooms/${roomId}/residents`), enabled: Boolean(roomId) });
}

export function useLinkResident() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ roomId, input }: { roomId: string; input: LinkResidentInput }) => api.post<RoomHousehold>(`/api/rooms/${roomId}/residents`, input), onSuccess: done });
}

export function useEndLink() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ linkId, input }: { linkId: string; input: EndLinkInput }) => api.post<RoomHousehold>(`/api/room-residents/${linkId}/end`, input), onSuccess: done });
}

export function useMoveOut() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ roomId, input }: { roomId: string; input: MoveOutInput }) => api.post<RoomHousehold>(`/api/rooms/${roomId}/move-out`, input), onSuccess: done });
}

export function useCreateVehicle() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (input: CreateVehicleInput) => api.post<Vehicle>('/api/vehicles', input), onSuccess: done });
}

export function useDeleteVehicle() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/vehicles/${id}`), onSuccess: done });
}

export function useHoldings(spaceId: string | undefined) {
  return useQuery({ queryKey: residentKeys.holdings(spaceId ?? ''), queryFn: () => api.get<{ items: ParkingHolding[] }>(`/api/parking-spaces/${spaceId}/holdings`), enabled: Boolean(spaceId) });
}

export function useAddHolding() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ spaceId, input }: { spaceId: string; input: CreateHoldingInput }) => api.post<ParkingHolding>(`/api/parking-spaces/${spaceId}/holdings`, input), onSuccess: done });
}

export function useCommittee(communityId: string | undefined) {
  return useQuery({ queryKey: residentKeys.committee(communityId), queryFn: () => api.get<{ items: CommitteeMember[] }>('/api/committee-members', { communityId }), enabled: Boolean(communityId) });
}

export function useAddCommitteeMember() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (input: CreateCommitteeInput) => api.post<CommitteeMember>('/api/committee-members', input), onSuccess: done });
}

export function useMoveIns(roomId: string | undefined) {
  return useQuery({ queryKey: residentKeys.moveIns(roomId ?? ''), queryFn: () => api.get<{ items: MoveIn[] }>('/api/move-ins', { roomId }), enabled: Boolean(roomId) });
}

export function useRegisterMoveIn() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (input: CreateMoveInInput) => api.post<MoveIn>('/api/move-ins', input), onSuccess: done });
}

export function useRecordInspection() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: InspectionInput }) => api.post<MoveIn>(`/api/move-ins/${id}/inspection`, input), onSuccess: done });
}

export function useHandOver() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, input }: { id: string; input: HandoverInput }) => api.post<MoveIn>(`/api/move-ins/${id}/handover`, input), onSuccess: done });
}

export function useHouseholdRequests(q: RequestQuery, enabled = true) {
  return useQuery({ queryKey: residentKeys.requests(q), queryFn: () => api.get<Page<HouseholdRequest>>('/api/household-requests', q), placeholderData: keepPreviousData, enabled });
}

export function useDecideRequest() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, approve, note }: { id: string; approve: boolean; note?: string }) =>
      api.post<HouseholdRequest>(`/api/household-requests/${id}/${approve ? 'approve' : 'reject'}`, note ? { note } : {}),
    onSuccess: done,
  });
}
