import type { MessageKey } from './messages.ts';

/**
 * Typed errors with a stable `code`. The message is rendered in the request's language by the error handler
 * from `messageKey` + `params`; `details` carries machine-readable specifics (e.g. which field).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(`${code}: ${messageKey} ${JSON.stringify(params)}`);
  }
}

/** 400 naming the field that is wrong. */
export class ValidationError extends AppError {
  constructor(field: string, messageKey: MessageKey = 'validation.invalid', params: Record<string, string | number> = {}) {
    super(400, 'VALIDATION_FAILED', messageKey, { field, ...params }, { field });
  }
}

/** 401. `code` tells a missing or expired session (UNAUTHENTICATED) from wrong credentials or a wrong code. */
export class UnauthorizedError extends AppError {
  constructor(messageKey: MessageKey = 'auth.required', code: 'UNAUTHENTICATED' | 'BAD_CREDENTIALS' | 'BAD_CODE' = 'UNAUTHENTICATED') {
    super(401, code, messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(permission?: string) {
    super(403, 'FORBIDDEN', 'auth.forbidden', { permission: permission ?? '' }, permission ? { permission } : undefined);
  }
}

/** Another tenant's record is always this, never a 403: its existence is not disclosed. */
export class NotFoundError extends AppError {
  constructor(entity: string) {
    super(404, 'NOT_FOUND', 'notFound', { entity });
  }
}

export class ConflictError extends AppError {
  constructor(messageKey: MessageKey, params: Record<string, string | number> = {}, details?: unknown) {
    super(409, 'CONFLICT', messageKey, params, details);
  }
}

export class UnprocessableError extends AppError {
  constructor(messageKey: MessageKey, params: Record<string, string | number> = {}) {
    super(422, 'UNPROCESSABLE', messageKey, params);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', 'auth.rateLimited', { seconds: retryAfterSeconds }, { retryAfterSeconds });
  }
}
