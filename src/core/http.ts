import type { FastifyRequest } from 'fastify';
import type { RequestContext } from './context.ts';
import { UnauthorizedError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext | null;
  }
  interface FastifyContextConfig {
    /** Routes are authenticated unless they say `public: true`. */
    public?: boolean;
  }
}

/** The caller's context; the auth hook has already refused anonymous calls to non-public routes. */
export function ctxOf(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new UnauthorizedError();
  return request.ctx;
}
