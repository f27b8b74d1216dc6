import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppError, UnauthorizedError } from '../../core/errors.ts';
import { pickLang } from '../../core/messages.ts';
import { resolveSession } from './service.ts';
import { SESSION_COOKIE } from './routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    csrfToken?: string;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every /api route is authenticated unless its config says `public: true`. A cookie session must send its CSRF
 * token in `x-csrf-token` on state-changing methods (the cookie is SameSite=Lax as a second line).
 */
export function registerAuthHook(app: FastifyInstance): void {
  app.decorateRequest('ctx', null);
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    const resolved = token ? await resolveSession(app.deps, token) : null;
    if (resolved) {
      req.ctx = { actor: resolved.actor, requestId: req.id, ip: req.ip, lang: pickLang(req.headers['accept-language']) };
      req.csrfToken = resolved.csrfToken;
      req.log = req.log.child({ userId: resolved.actor.userId });
    }
    // Public routes, the API docs, and unknown routes (which answer 404 whoever asks) need no session.
    if (req.routeOptions.config.public || req.url.startsWith('/api/docs') || !req.routeOptions.url) return;
    if (!resolved) throw new UnauthorizedError(token ? 'auth.sessionExpired' : 'auth.required');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, resolved.csrfToken)) throw new AppError(403, 'CSRF_FAILED', 'auth.csrf');
    }
  });
}
