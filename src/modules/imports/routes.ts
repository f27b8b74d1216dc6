import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { ValidationError } from '../../core/errors.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as imports from './service.ts';
import { XLSX_TYPE } from './xlsx.ts';

const tags = ['imports'];

function sendXlsx(reply: FastifyReply, file: { fileName: string; data: Buffer }) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('cache-control', 'no-store')
    .send(file.data);
}

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/imports/templates/:kind', { schema: { tags, summary: 'An .xlsx template: Chinese headers, an example row, dropdowns for enum columns', params: s.kindParams, response: { 200: z.any() } } }, async (req, reply) =>
    sendXlsx(reply, await imports.downloadTemplate(ctxOf(req), req.params.kind)),
  );

  app.get('/api/imports', { schema: { tags, summary: 'Recent import jobs', querystring: s.jobQuery, response: { 200: pageOf(s.importJobSummary) } } }, async (req) => imports.listImports(d, ctxOf(req), req.query));

  app.post(
    '/api/imports/:kind',
    {
      schema: {
        tags,
        summary: 'Upload an .xlsx (multipart field `file`): checked and compared, stored as a job with a report; nothing is written yet',
        consumes: ['multipart/form-data'],
        params: s.kindParams,
        querystring: s.uploadQuery,
        response: { 201: s.importJob },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (!req.isMultipart()) throw new ValidationError('file', 'validation.fileMissing');
      const part = await req.file({ limits: { fileSize: d.config.maxUploadBytes + 1, files: 1 } });
      if (!part || part.fieldname !== 'file') throw new ValidationError('file', 'validation.fileMissing');
      const data = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new ValidationError('file', 'validation.fileTooLarge', { max: d.config.maxUploadBytes });
        throw err;
      });
      const job = await imports.validateImport(d, ctx, { kind: req.params.kind, fileName: part.filename, data, communityId: req.query.communityId });
      return reply.status(201).send(job);
    },
  );

  app.get('/api/imports/:id', { schema: { tags, summary: 'An import job: report and progress', params: idParams, response: { 200: s.importJob } } }, async (req) => imports.getImport(d, ctxOf(req), req.params.id));

  app.post(
    '/api/imports/:id/apply',
    { schema: { tags, summary: 'Write the rows of a validated import (422 if it has bad rows and skipErrors is not true; 409 once applied)', params: idParams, querystring: s.applyQuery, response: { 200: s.importJob } } },
    async (req) => imports.applyImport(d, ctxOf(req), req.params.id, { skipErrors: req.query.skipErrors }),
  );

  app.get('/api/exports/:kind', { schema: { tags, summary: 'The community’s rooms, parking spaces or residents as .xlsx in the import columns', params: s.kindParams, querystring: s.exportQuery, response: { 200: z.any() } } }, async (req, reply) =>
    sendXlsx(reply, await imports.exportKind(d, ctxOf(req), req.params.kind, req.query.communityId)),
  );
};
