import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { ValidationError } from '../../core/errors.ts';
import { idParams } from '../../core/validation.ts';
import { storedFile } from './schema.ts';
import * as files from './service.ts';

export const fileRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/files',
    {
      schema: {
        tags: ['files'],
        summary: 'Upload a photo or attachment (multipart field `file`; JPEG, PNG, WebP, GIF or PDF)',
        consumes: ['multipart/form-data'],
        response: { 201: storedFile },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (!req.isMultipart()) throw new ValidationError('file', 'validation.fileMissing');
      const part = await req.file({ limits: { fileSize: app.deps.config.maxUploadBytes + 1, files: 1 } });
      if (!part || part.fieldname !== 'file') throw new ValidationError('file', 'validation.fileMissing');
      const data = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new ValidationError('file', 'validation.fileTooLarge', { max: app.deps.config.maxUploadBytes });
        throw err;
      });
      return reply.status(201).send(await files.uploadFile(app.deps, ctx, { filename: part.filename, data }));
    },
  );

  const download = (variant: 'original' | 'thumb') =>
    async (req: { params: { id: string } } & Parameters<typeof ctxOf>[0], reply: import('fastify').FastifyReply) => {
      const f = await files.readFile(app.deps, ctxOf(req), req.params.id, variant);
      return reply
        .header('content-type', f.mimeType)
        .header('cache-control', 'private, max-age=86400')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(f.data);
    };
  app.get('/api/files/:id', { schema: { tags: ['files'], summary: 'Download a file', params: idParams, response: { 200: z.any() } } }, download('original'));
  app.get('/api/files/:id/thumb', { schema: { tags: ['files'], summary: 'A display-sized copy of an image', params: idParams, response: { 200: z.any() } } }, download('thumb'));
};
