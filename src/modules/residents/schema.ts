import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { mobilePhone } from '../../core/validation.ts';
import { CARE_FLAGS } from './rules.ts';

export const ID_TYPES = ['idCard', 'passport', 'hkMacauPermit', 'taiwanPermit', 'foreignPermit', 'other'] as const;
export const RELATIONS = ['owner', 'family', 'tenant'] as const;
const date = z.iso.date();

const roomRef = z.object({ linkId: z.string(), roomId: z.string(), label: z.string(), communityName: z.string(), relation: z.enum(RELATIONS), current: z.boolean() });

/** A resident as staff see them: phone and ID number masked (reveal them through /reveal, which is audited). */
export const resident = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  idType: z.enum(ID_TYPES),
  idNumber: z.string().nullable(),
  gender: z.enum(['male', 'female']).nullable(),
  birthday: z.string().nullable(),
  careFlags: z.array(z.string()),
  profileNote: z.string().nullable(),
  safetyNote: z.string().nullable(),
  rooms: z.array(roomRef),
  plates: z.array(z.string()),
});
export type Resident = z.infer<typeof resident>;

export const vehicle = z.object({
  id: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  plate: z.string(),
  energy: z.enum(['fuel', 'newEnergy']),
  parkingSpaceId: z.string().nullable(),
  parkingSpaceNumber: z.string().nullable(),
  brand: z.string().nullable(),
  color: z.string().nullable(),
});

export const residentDetail = resident.extend({
  vehicles: z.array(vehicle),
  committee: z.array(z.object({ id: z.string(), position: z.string(), termStart: z.string(), termEnd: z.string() })),
});

const residentFields = {
  name: z.string().trim().min(1).max(40),
  phone: mobilePhone.nullable().optional(),
  idType: z.enum(ID_TYPES).default('idCard'),
  idNumber: z.string().trim().min(2).max(40).nullable().optional(),
  gender: z.enum(['male', 'female']).nullable().optional(),
  birthday: date.nullable().optional(),
  careFlags: z.array(z.enum(CARE_FLAGS)).max(4).default([]),
  profileNote: z.string().trim().max(500).nullable().optional(),
  safetyNote: z.string().trim().max(500).nullable().optional(),
};
export const createResidentBody = z.strictObject({ communityId: z.uuid(), ...residentFields });
export type CreateResidentInput = z.infer<typeof createResidentBody>;
export const updateResidentBody = z.strictObject({
  name: residentFields.name.optional(),
  phone: residentFields.phone,
  idType: z.enum(ID_TYPES).optional(),
  idNumber: residentFields.idNumber,
  gender: residentFields.gender,
  birthday: residentFields.birthday,
  careFlags: z.array(z.enum(CARE_FLAGS)).max(4).optional(),
  profileNote: residentFields.profileNote,
  safetyNote: residentFields.safetyNote,
});
export type UpdateResidentInput = z.infer<typeof updateResidentBody>;

export const residentQuery = pageQuery.extend({
  /** Name (prefix), full phone, last 4 digits of a phone, plate, or room number. */
  q: z.string().trim().max(40).optional(),
  communityId: z.uuid().optional(),
  relation: z.enum(RELATIONS).optional(),
  careFlag: z.enum(CARE_FLAGS).optional(),
});

export const revealed = z.object({ id: z.string(), phone: z.string().nullable(), idNumber: z.string().nullable() });

export const roomLink = z.object({
  id: z.string(),
  roomId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  phone: z.string().nullable(),
  relation: z.enum(RELATIONS),
  sharePercent: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  moveInDate: z.string().nullable(),
  warrantyEnd: z.string().nullable(),
  leaseStart: z.string().nullable(),
  leaseEnd: z.string().nullable(),
  endReason: z.string().nullable(),
  careFlags: z.array(z.string()),
});
export const roomHousehold = z.object({ current: z.array(roomLink), past: z.array(roomLink), vehicles: z.array(vehicle) });

export const linkResidentBody = z
  .strictObject({
    residentId: z.uuid().optional(),
    /** Register a new resident and link them in one step. */
    resident: z.strictObject(residentFields).optional(),
    relation: z.enum(RELATIONS),
    sharePercent: z.union([z.number(), z.string().regex(/^\d{1,3}(\.\d{1,2})?$/)]).transform(Number).refine((n) => n > 0 && n <= 100).nullable().optional(),
    startDate: date,
    moveInDate: date.nullable().optional(),
    warrantyEnd: date.nullable().optional(),
    leaseStart: date.nullable().optional(),
    leaseEnd: date.nullable().optional(),
  })
  .refine((b) => Boolean(b.residentId) !== Boolean(b.resident), { message: 'required', path: ['residentId'] });
export type LinkResidentInput = z.infer<typeof linkResidentBody>;

export const endLinkBody = z.strictObject({ endDate: date, reason: z.string().trim().min(1).max(200) });
export const moveOutBody = z.strictObject({ date, reason: z.string().trim().min(1).max(200) });

export const createVehicleBody = z.strictObject({
  residentId: z.uuid(),
  plate: z.string().trim().min(7).max(12),
  parkingSpaceId: z.uuid().nullable().optional(),
  brand: z.string().trim().max(40).optional(),
  color: z.string().trim().max(20).optional(),
});
export const updateVehicleBody = z.strictObject({
  plate: z.string().trim().min(7).max(12).optional(),
  parkingSpaceId: z.uuid().nullable().optional(),
  brand: z.string().trim().max(40).nullable().optional(),
  color: z.string().trim().max(20).nullable().optional(),
});
export const vehicleQuery = pageQuery.extend({ q: z.string().trim().max(12).optional(), communityId: z.uuid().optional() });

export const parkingHolding = z.object({
  id: z.string(),
  parkingSpaceId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  holding: z.enum(['sold', 'rented']),
  startDate: z.string(),
  endDate: z.string().nullable(),
});
export const endHoldingBody = z.strictObject({ endDate: date });
export const createHoldingBody = z.strictObject({ residentId: z.uuid(), holding: z.enum(['sold', 'rented']), startDate: date, endDate: date.nullable().optional() });

export const committeeMember = z.object({
  id: z.string(),
  communityId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  position: z.enum(['director', 'deputyDirector', 'member']),
  termStart: z.string(),
  termEnd: z.string(),
  current: z.boolean(),
});
export const createCommitteeMemberBody = z.strictObject({
  communityId: z.uuid(),
  residentId: z.uuid(),
  position: z.enum(['director', 'deputyDirector', 'member']),
  termStart: date,
  termEnd: date,
});
export const communityFilter = z.object({ communityId: z.uuid().optional() });

/** Move-in (入住): registration, joint inspection with defects, handover with keys. */
export const createMoveInBody = z
  .strictObject({
    roomId: z.uuid(),
    residentId: z.uuid().optional(),
    resident: createResidentBody.omit({ communityId: true }).optional(),
    noticeNo: z.string().trim().min(1).max(40),
    contractNo: z.string().trim().min(1).max(40),
    moveInDate: date,
    warrantyEnd: date.nullable().optional(),
    sharePercent: z.number().positive().max(100).nullable().optional(),
  })
  .refine((b) => Boolean(b.residentId) !== Boolean(b.resident), { message: 'required', path: ['residentId'] });
export const inspectionBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        area: z.string().trim().min(1).max(40),
        item: z.string().trim().min(1).max(100),
        ok: z.boolean(),
        defect: z.string().trim().min(1).max(300).nullable().optional(),
        photoFileId: z.uuid().nullable().optional(),
      }),
    )
    .min(1)
    .max(200),
});
export const cancelMoveInBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });
export const handoverBody = z.strictObject({ keysCount: z.number().int().min(0).max(50), note: z.string().trim().max(300).optional(), occupyNow: z.boolean().default(false) });
export const moveIn = z.object({
  id: z.string(),
  roomId: z.string(),
  roomLabel: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  noticeNo: z.string(),
  contractNo: z.string(),
  status: z.enum(['registered', 'inspected', 'handedOver', 'cancelled']),
  inspectedAt: z.string().nullable(),
  handedOverAt: z.string().nullable(),
  keysCount: z.number().nullable(),
  handoverNote: z.string().nullable(),
  items: z.array(z.object({ id: z.string(), area: z.string(), item: z.string(), ok: z.boolean(), defect: z.string().nullable(), photoFileId: z.string().nullable() })),
  defects: z.number().int(),
  createdAt: z.string(),
});


/** Owner site: my rooms and requests to add a family member or tenant. */
export const householdRequestBody = z.strictObject({
  roomId: z.uuid(),
  name: z.string().trim().min(1).max(40),
  phone: mobilePhone.nullable().optional(),
  relation: z.enum(['family', 'tenant']),
  leaseStart: date.nullable().optional(),
  leaseEnd: date.nullable().optional(),
  note: z.string().trim().max(300).optional(),
});
export const householdRequest = z.object({
  id: z.string(),
  roomId: z.string(),
  roomLabel: z.string(),
  requestedBy: z.string(),
  requesterName: z.string(),
  communityId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  relation: z.enum(['family', 'tenant']),
  leaseStart: z.string().nullable(),
  leaseEnd: z.string().nullable(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
export const requestQuery = pageQuery.extend({ status: z.enum(['pending', 'approved', 'rejected']).optional() });
export const decisionBody = z.strictObject({ note: z.string().trim().max(300).optional() });

export const ownerRoom = z.object({
  id: z.string(),
  label: z.string(),
  community: z.string(),
  relation: z.string(),
  builtArea: z.string(),
  status: z.string(),
  household: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string().nullable(), isMe: z.boolean() })),
  vehicles: z.array(z.object({ plate: z.string(), owner: z.string() })),
});

