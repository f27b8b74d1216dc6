import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { IMPORT_KINDS } from './columns.ts';

export const kindParams = z.object({ kind: z.enum(IMPORT_KINDS) });
export const uploadQuery = z.object({ communityId: z.uuid().optional() });
export const applyQuery = z.object({
  /** Write the good rows of a sheet that has bad ones; without it such an import is refused (422). */
  skipErrors: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export const exportQuery = z.object({ communityId: z.uuid() });
export const jobQuery = pageQuery.extend({ kind: z.enum(IMPORT_KINDS).optional(), communityId: z.uuid().optional() });

const counts = z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int(), error: z.number().int() });

export const importJob = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  communityId: z.string(),
  communityCode: z.string(),
  communityName: z.string(),
  fileName: z.string(),
  status: z.enum(['validated', 'applying', 'applied', 'failed']),
  /** Data rows read from the sheet (blank rows skipped). */
  sheetRows: z.number().int(),
  /** What the file would do, found when it was validated. */
  counts,
  /** Apply progress: rows written out of the good rows. */
  processed: z.number().int(),
  total: z.number().int(),
  percent: z.number(),
  skipErrors: z.boolean(),
  /** One entry per bad cell: the row number as Excel shows it and the column by its header. */
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })),
  /** True when more errors exist than the report lists (see counts.error for the number of bad rows). */
  errorsTruncated: z.boolean(),
  /** What else applying will do, e.g. buildings it creates. */
  notes: z.array(z.string()),
  /** What applying did (so far, while it runs). */
  result: counts.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof importJob>;

/** The list leaves out the per-row errors. */
export const importJobSummary = importJob.omit({ errors: true });
