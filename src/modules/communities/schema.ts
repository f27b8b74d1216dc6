import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

export const SERVICE_LEVELS = ['level1', 'level2', 'level3'] as const;
export const MANAGEMENT_MODES = ['professional', 'simple', 'selfGoverned', 'villageManaged', 'unmanaged'] as const;
export const COMMUNITY_TYPES = ['commercial', 'resettlement', 'enterpriseDorm', 'openOld', 'office'] as const;

export const community = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  address: z.string().nullable(),
  timeZone: z.string(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  /** "江苏省 南京市 鼓楼区" */
  divisionLabel: z.string(),
  landArea: z.string().nullable(),
  buildingArea: z.string().nullable(),
  greenArea: z.string().nullable(),
  /** 绿化率 = 绿化面积 ÷ 总占地面积, percent with one decimal; null when either is missing. */
  greenRatio: z.number().nullable(),
  serviceLevel: z.enum(SERVICE_LEVELS).nullable(),
  managementMode: z.enum(MANAGEMENT_MODES).nullable(),
  communityType: z.enum(COMMUNITY_TYPES).nullable(),
  enclosed: z.boolean(),
  createdAt: z.string(),
});
export type Community = z.infer<typeof community>;

const area = z.union([z.number(), z.string().trim().regex(/^\d+(\.\d{1,2})?$/)]).transform(String).refine((v) => Number(v) > 0 && Number(v) < 1e10);
const divisionCode = z.string().regex(/^\d{6}$/);

const details = {
  address: z.string().trim().max(200).nullable().optional(),
  provinceCode: divisionCode.nullable().optional(),
  cityCode: divisionCode.nullable().optional(),
  districtCode: divisionCode.nullable().optional(),
  landArea: area.nullable().optional(),
  buildingArea: area.nullable().optional(),
  greenArea: area.nullable().optional(),
  serviceLevel: z.enum(SERVICE_LEVELS).nullable().optional(),
  managementMode: z.enum(MANAGEMENT_MODES).nullable().optional(),
  communityType: z.enum(COMMUNITY_TYPES).nullable().optional(),
  enclosed: z.boolean().optional(),
};

/** An IANA zone this runtime knows: business dates and scheduled jobs are read in it. */
const timeZone = z.string().trim().max(40).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
});

export const createCommunityBody = z.strictObject({
  name: z.string().trim().min(2).max(60),
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9-]+$/),
  timeZone: timeZone.default('Asia/Shanghai'),
  ...details,
});
export type CreateCommunityInput = z.infer<typeof createCommunityBody>;
export const updateCommunityBody = z.strictObject({ name: z.string().trim().min(2).max(60).optional(), ...details });
export type UpdateCommunityInput = z.infer<typeof updateCommunityBody>;
export const communityQuery = pageQuery.extend({ q: z.string().trim().max(60).optional() });
