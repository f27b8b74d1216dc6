import { createHash, randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { isImage, sniffType, THUMB_MAX_PX } from './rules.ts';
import type { StoredFile } from './schema.ts';

function toFile(r: { id: string; original_name: string; mime_type: string; size_bytes: number; width: number | null; height: number | null; thumb_key: string | null; created_at: Date }): StoredFile {
  return {
    id: r.id,
    originalName: r.original_name,
    mimeType: r.mime_type,
    sizeBytes: r.size_bytes,
    width: r.width,
    height: r.height,
    url: `/api/files/${r.id}`,
    thumbUrl: r.thumb_key ? `/api/files/${r.id}/thumb` : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** Checks type (by content) and size, shrinks images for display, stores both, then records the row. */
export async function uploadFile(
  deps: Pick<Deps, 'db' | 'storage' | 'config'>,
  ctx: RequestContext,
  input: { filename: string; data: Buffer },
): Promise<StoredFile> {
  requirePermission(ctx.actor, 'file.upload');
  const companyId = companyOf(ctx.actor);
  if (input.data.length === 0) throw new ValidationError('file', 'validation.fileMissing');
  if (input.data.length > deps.config.maxUploadBytes) throw new ValidationError('file', 'validation.fileTooLarge', { max: deps.config.maxUploadBytes });
  const type = sniffType(input.data.subarray(0, 16));
  if (!type) throw new ValidationError('file', 'validation.fileType', { type: 'unknown' });
  let width: number | null = null;
  let height: number | null = null;
  let thumb: Buffer | null = null;
  if (isImage(type)) {
    try {
      // Loaded on the first image, not at start-up: sharp costs ~300 ms and ~23 MB that most processes never use.
      const { default: sharp } = await import('sharp');
      const image = sharp(input.data, { failOn: 'error' });
      const meta = await image.metadata();
      width = meta.width ?? null;
      height = meta.height ?? null;
      // Rotate by EXIF so phone photos stand up; webp keeps display copies small.
      thumb = await image.rotate().resize({ width: THUMB_MAX_PX, height: THUMB_MAX_PX, fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    } catch {
      throw new ValidationError('file', 'validation.fileType', { type });
    }
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const key = `${companyId}/${day}/${randomUUID()}`;
  await deps.storage.put(key, input.data, type);
  if (thumb) await deps.storage.put(`${key}.thumb.webp`, thumb, 'image/webp');
  const row = await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('files')
      .values({
        company_id: companyId,
        uploaded_by: ctx.actor.userId,
        storage_key: key,
        thumb_key: thumb ? `${key}.thumb.webp` : null,
        original_name: input.filename.slice(0, 200) || 'file',
        mime_type: type,
        size_bytes: input.data.length,
        width,
        height,
        sha256: createHash('sha256').update(input.data).digest('hex'),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'file.upload', entityType: 'file', entityId: r.id, after: { name: r.original_name, type, size: r.size_bytes } });
    return r;
  });
  return toFile(row);
}

export async function readFile(
  deps: Pick<Deps, 'db' | 'storage'>,
  ctx: RequestContext,
  id: string,
  variant: 'original' | 'thumb',
): Promise<{ data: Buffer; mimeType: string; name: string }> {
  const row = await deps.db.selectFrom('files').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('file');
  // Owners see what they uploaded themselves and the photos of their own service-desk tickets (the technician's
  // before/after pictures); nothing else.
  if (ctx.actor.kind === 'owner' && row.uploaded_by !== ctx.actor.userId && !(await sharedWithOwner(deps, ctx.actor.userId, id))) throw new NotFoundError('file');
  const key = variant === 'thumb' ? row.thumb_key : row.storage_key;
  if (!key) throw new NotFoundError('file');
  const data = await deps.storage.get(key);
  if (!data) throw new NotFoundError('file');
  return { data, mimeType: variant === 'thumb' ? 'image/webp' : row.mime_type, name: row.original_name };
}

async function sharedWithOwner(deps: Pick<Deps, 'db'>, ownerUserId: string, fileId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('ticket_attachments as a')
    .innerJoin('tickets as t', 't.id', 'a.ticket_id')
    .select('a.id')
    .where('a.file_id', '=', fileId)
    .where('t.reporter_user_id', '=', ownerUserId)
    .executeTakeFirst();
  return Boolean(row);
}
