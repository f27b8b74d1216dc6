import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pickLang } from '../../core/messages.ts';
import { idParams } from '../../core/validation.ts';
import { changePasswordBody, loginBody, me, otpRequestBody, otpRequestResult, otpVerifyBody, sessionInfo } from './schema.ts';
import * as auth from './service.ts';

export const SESSION_COOKIE = 'anju_session';

function callerOf(req: FastifyRequest) {
  return { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id, lang: pickLang(req.headers['accept-language']) };
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const setCookie = (reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.deps.config.cookieSecure, expires });

  app.post(
    '/api/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Staff or operator login with username and password', body: loginBody, response: { 200: me } } },
    async (req, reply) => {
      const started = await auth.login(app.deps, callerOf(req), req.body);
      setCookie(reply, started.token, started.expiresAt);
      return started.me;
    },
  );

  app.post(
    '/api/auth/otp/request',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Send an owner a one-time login code by SMS', body: otpRequestBody, response: { 200: otpRequestResult } } },
    async (req) => auth.requestOtp(app.deps, callerOf(req), req.body.phone),
  );

  app.post(
    '/api/auth/otp/verify',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Owner login with phone and one-time code', body: otpVerifyBody, response: { 200: me } } },
    async (req, reply) => {
      const started = await auth.verifyOtp(app.deps, callerOf(req), req.body);
      setCookie(reply, started.token, started.expiresAt);
      return started.me;
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } }, async (req, reply) => {
    await auth.logout(app.deps, ctxOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: 'The caller, their abilities, communities and CSRF token', response: { 200: me } } }, async (req) => {
    const ctx = ctxOf(req);
    return auth.describeMe(app.deps, ctx.actor, req.csrfToken ?? '');
  });

  app.post(
    '/api/auth/password',
    { schema: { tags: ['auth'], summary: 'Change my password (ends my other sessions)', body: changePasswordBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await auth.changePassword(app.deps, ctxOf(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.get('/api/auth/sessions', { schema: { tags: ['auth'], summary: 'My open sessions', response: { 200: z.object({ items: z.array(sessionInfo) }) } } }, async (req) => ({
    items: await auth.listMySessions(app.deps, ctxOf(req)),
  }));

  app.delete(
    '/api/auth/sessions/:id',
    { schema: { tags: ['auth'], summary: 'Revoke one of my sessions', params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await auth.revokeMySession(app.deps, ctxOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
