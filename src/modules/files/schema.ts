import { z } from 'zod';

export const storedFile = z.object({
  id: z.string(),
  originalName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  thumbUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type StoredFile = z.infer<typeof storedFile>;
