import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './errors.ts';
import { type Lang, type MessageKey, pickLang, t } from './messages.ts';

interface Issue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

// Schemas may name a message key for their own rules (e.g. `.regex(CN_MOBILE, { message: 'phone' })`).
const CUSTOM_MESSAGES: Record<string, MessageKey> = {
  phone: 'validation.phone',
  password: 'validation.password',
  required: 'validation.required',
};

/** Turns one Zod issue into a message that names the field and says what to fix. */
function describeIssue(lang: Lang, issue: Issue, context: string): { field: string; message: string } {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const p = issue.params;
  const params: Record<string, string | number> = { field: path || context };
  let key: MessageKey = 'validation.invalid';
  const custom = issue.message ? CUSTOM_MESSAGES[issue.message] : undefined;
  if (custom) key = custom;
  else if (issue.keyword === 'invalid_type') {
    key = p.input === undefined ? 'validation.required' : 'validation.type';
    params.expected = String(p.expected);
  } else if (issue.keyword === 'too_small') {
    key = 'validation.tooShort';
    params.min = String(p.minimum);
  } else if (issue.keyword === 'too_big') {
    key = 'validation.tooLong';
    params.max = String(p.maximum);
  } else if (issue.keyword === 'invalid_format') key = 'validation.format';
  else if (issue.keyword === 'invalid_value') {
    key = 'validation.enum';
    params.options = Array.isArray(p.values) ? p.values.join(', ') : '';
  } else if (issue.keyword === 'unrecognized_keys') {
    const keys = Array.isArray(p.keys) ? p.keys.join(', ') : '';
    params.field = path ? `${path}.${keys}` : keys;
    key = 'validation.unknownField';
  }
  return { field: String(params.field), message: t(lang, key, params) };
}

/**
 * PostgreSQL's unique_violation: a unique index caught what a service's check-then-insert let through because two
 * requests ran at once. Returns the field to name (the last column of the key, e.g. `Key (company_id, plate)=…` →
 * plate), null when the key is not a plain column, or undefined for any other error.
 */
function uniqueViolationField(error: unknown): string | null | undefined {
  const e = error as { code?: unknown; detail?: unknown };
  if (e.code !== '23505') return undefined;
  const columns = typeof e.detail === 'string' ? /^Key \((.*)\)=\(/.exec(e.detail)?.[1] : undefined;
  const last = columns?.split(', ').at(-1) ?? '';
  return /^[a-z_]+$/.test(last) ? last.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : null;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const lang = pickLang(request.headers['accept-language']);
  const requestId = request.id;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues = error.validation.map((i) => describeIssue(lang, i as unknown as Issue, context));
    return reply.status(400).send({
      error: { code: 'VALIDATION_FAILED', message: issues.map((i) => i.message).join('；'), details: { fields: issues } },
      requestId,
    });
  }
  if (error instanceof AppError) {
    if (error.status >= 500) request.log.error({ err: error }, 'application error');
    if (error.status === 429 && error.params.seconds) reply.header('retry-after', String(error.params.seconds));
    return reply.status(error.status).send({
      error: { code: error.code, message: t(lang, error.messageKey, error.params), details: error.details ?? null },
      requestId,
    });
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Internal error', details: null }, requestId });
  }
  const duplicate = uniqueViolationField(error);
  if (duplicate !== undefined) {
    return reply.status(409).send({
      error: { code: 'CONFLICT', message: t(lang, 'conflict.duplicate', { field: duplicate ?? '' }), details: duplicate ? { field: duplicate } : null },
      requestId,
    });
  }
  // Fastify's own errors: bad JSON, unsupported media type, body too large…
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'INTERNAL', message: lang === 'en' ? 'Internal error' : '服务器内部错误', details: null },
      requestId,
    });
  }
  return reply.status(status).send({
    error: { code: error.code ?? 'BAD_REQUEST', message: error.message, details: null },
    requestId,
  });
}
