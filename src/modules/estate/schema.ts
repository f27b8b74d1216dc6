import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

export const BUILDING_KINDS = ['highRise', 'midRise', 'multiStorey', 'villa', 'office', 'commercial'] as const;
export const ROOM_KINDS = ['residence', 'shop', 'office', 'garage', 'storage'] as const;
export const ROOM_STATUSES = ['unsold', 'vacant', 'delivered', 'renovating', 'occupied', 'rented'] as const;
export const PARKING_KINDS = ['standard', 'large', 'small', 'charging', 'accessible', 'garage'] as const;

const name = z.string().trim().min(1).max(40);
/** Areas travel as decimal strings ("89.50") so no float ever touches them; numbers are accepted on input. */
const areaInput = z.union([z.number(), z.string().trim().max(12)]);

export const phase = z.object({ id: z.string(), communityId: z.string(), name: z.string(), kind: z.enum(['phase', 'group']) });
export const createPhaseBody = z.strictObject({ communityId: z.uuid(), name, kind: z.enum(['phase', 'group']).default('phase') });

export const zone = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  responsibleUserId: z.string().nullable(),
  responsibleName: z.string().nullable(),
  note: z.string().nullable(),
});
export const createZoneBody = z.strictObject({ communityId: z.uuid(), name, responsibleUserId: z.uuid().nullable().optional(), note: z.string().trim().max(200).optional() });
export const updateZoneBody = z.strictObject({ name: name.optional(), responsibleUserId: z.uuid().nullable().optional(), note: z.string().trim().max(200).nullable().optional() });

export const commonPart = z.object({
  id: z.string(),
  communityId: z.string(),
  zoneId: z.string().nullable(),
  buildingId: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  location: z.string().nullable(),
  responsibleUserId: z.string().nullable(),
  responsibleName: z.string().nullable(),
});
export const createCommonPartBody = z.strictObject({
  communityId: z.uuid(),
  zoneId: z.uuid().nullable().optional(),
  buildingId: z.uuid().nullable().optional(),
  name,
  kind: z.string().trim().min(1).max(40),
  location: z.string().trim().max(200).optional(),
  responsibleUserId: z.uuid().nullable().optional(),
});

export const unit = z.object({ id: z.string(), name: z.string(), sortOrder: z.number().int() });

export const building = z.object({
  id: z.string(),
  communityId: z.string(),
  phaseId: z.string().nullable(),
  zoneId: z.string().nullable(),
  name: z.string(),
  kind: z.enum(BUILDING_KINDS),
  floorsAbove: z.number().int(),
  floorsBelow: z.number().int(),
  lifts: z.number().int(),
  units: z.array(unit),
  roomCount: z.number().int(),
});
export type Building = z.infer<typeof building>;

export const createBuildingBody = z.strictObject({
  communityId: z.uuid(),
  phaseId: z.uuid().nullable().optional(),
  zoneId: z.uuid().nullable().optional(),
  name,
  kind: z.enum(BUILDING_KINDS),
  floorsAbove: z.number().int().min(1).max(200),
  floorsBelow: z.number().int().min(0).max(20).default(0),
  lifts: z.number().int().min(0).max(100).default(0),
  /** Unit entrances to create with the building, e.g. ["1单元", "2单元"]. */
  units: z.array(name).max(50).default([]),
});
export const updateBuildingBody = z.strictObject({
  phaseId: z.uuid().nullable().optional(),
  zoneId: z.uuid().nullable().optional(),
  name: name.optional(),
  kind: z.enum(BUILDING_KINDS).optional(),
  floorsAbove: z.number().int().min(1).max(200).optional(),
  floorsBelow: z.number().int().min(0).max(20).optional(),
  lifts: z.number().int().min(0).max(100).optional(),
});
export const createUnitBody = z.strictObject({ name });
export const buildingQuery = pageQuery.extend({ communityId: z.uuid().optional(), q: z.string().trim().max(40).optional() });

export const room = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  buildingId: z.string(),
  buildingName: z.string(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  floor: z.number().int(),
  number: z.string(),
  /** "1栋-2单元-1203" */
  label: z.string(),
  builtArea: z.string(),
  innerArea: z.string().nullable(),
  kind: z.enum(ROOM_KINDS),
  status: z.enum(ROOM_STATUSES),
  updatedAt: z.string(),
});
export type Room = z.infer<typeof room>;

export const statusChange = z.object({
  id: z.number().int(),
  fromStatus: z.enum(ROOM_STATUSES).nullable(),
  toStatus: z.enum(ROOM_STATUSES),
  reason: z.string().nullable(),
  changedBy: z.string().nullable(),
  at: z.string(),
});
export const roomDetail = room.extend({ history: z.array(statusChange) });

export const createRoomBody = z.strictObject({
  buildingId: z.uuid(),
  unitId: z.uuid().nullable().optional(),
  floor: z.number().int().min(-20).max(200).refine((f) => f !== 0),
  number: z.string().trim().min(1).max(16),
  builtArea: areaInput,
  innerArea: areaInput.nullable().optional(),
  kind: z.enum(ROOM_KINDS).default('residence'),
  status: z.enum(ROOM_STATUSES).default('unsold'),
});
export type CreateRoomInput = z.infer<typeof createRoomBody>;
export const updateRoomBody = z.strictObject({
  unitId: z.uuid().nullable().optional(),
  floor: z.number().int().min(-20).max(200).refine((f) => f !== 0).optional(),
  number: z.string().trim().min(1).max(16).optional(),
  builtArea: areaInput.optional(),
  innerArea: areaInput.nullable().optional(),
  kind: z.enum(ROOM_KINDS).optional(),
});
export const changeStatusBody = z.strictObject({ status: z.enum(ROOM_STATUSES), reason: z.string().trim().min(1).max(200) });
export const roomQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  buildingId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  status: z.enum(ROOM_STATUSES).optional(),
  kind: z.enum(ROOM_KINDS).optional(),
  q: z.string().trim().max(16).optional(),
});

export const gridRoom = z.object({ id: z.string(), unitName: z.string().nullable(), floor: z.number().int(), number: z.string(), status: z.enum(ROOM_STATUSES) });
export const buildingGrid = z.object({
  building: building,
  floors: z.array(z.object({ floor: z.number().int(), rooms: z.array(gridRoom) })),
  counts: z.record(z.string(), z.number().int()),
  total: z.number().int(),
});

export const parkingSpace = z.object({
  id: z.string(),
  communityId: z.string(),
  area: z.enum(['above', 'under']),
  number: z.string(),
  kind: z.enum(PARKING_KINDS),
  mode: z.enum(['fixed', 'shared']),
});
export const createParkingSpaceBody = z.strictObject({
  communityId: z.uuid(),
  area: z.enum(['above', 'under']),
  number: z.string().trim().min(1).max(20),
  kind: z.enum(PARKING_KINDS).default('standard'),
  mode: z.enum(['fixed', 'shared']).default('shared'),
});
export const updateParkingSpaceBody = z.strictObject({
  area: z.enum(['above', 'under']).optional(),
  number: z.string().trim().min(1).max(20).optional(),
  kind: z.enum(PARKING_KINDS).optional(),
  mode: z.enum(['fixed', 'shared']).optional(),
});
export const parkingQuery = pageQuery.extend({ communityId: z.uuid().optional(), area: z.enum(['above', 'under']).optional(), mode: z.enum(['fixed', 'shared']).optional(), q: z.string().trim().max(20).optional() });
export const communityFilter = z.object({ communityId: z.uuid().optional() });
