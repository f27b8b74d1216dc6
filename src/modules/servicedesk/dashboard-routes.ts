import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import * as s from './dashboard-schema.ts';
import { getDashboard } from './dashboard.ts';
import { monthlyReport, overdueComplaintsReport, sendReport } from './reports.ts';

const tags = ['service desk'];

export const serviceDeskDashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get(
    '/api/service-desk/dashboard',
    {
      schema: {
        tags,
        summary: 'Service quality figures (服务质量看板) for tickets reported in a date range (default the last 30 days): on-time rates per clock, kind, category, community, technician and month; return visits, satisfaction and rework against the targets; open overdue tickets',
        querystring: s.dashboardQuery,
        response: { 200: s.dashboard },
      },
    },
    async (req) => getDashboard(d.db, ctxOf(req), req.query),
  );
  app.get(
    '/api/service-desk/reports/overdue-complaints.xlsx',
    { schema: { tags, summary: 'Weekly analysis of complaints that went overdue (ISO week, e.g. 2026-W47): details with delay and cause, summary by category and community', querystring: s.weekReportQuery, response: { 200: z.any() } } },
    async (req, reply) => sendReport(reply, await overdueComplaintsReport(d.db, ctxOf(req), req.query)),
  );
  app.get(
    '/api/service-desk/reports/monthly.xlsx',
    { schema: { tags, summary: 'Monthly service-desk summary (e.g. 2026-11): the figures against the targets, by kind, category, community and technician, open overdue tickets', querystring: s.monthReportQuery, response: { 200: z.any() } } },
    async (req, reply) => sendReport(reply, await monthlyReport(d.db, ctxOf(req), req.query)),
  );
};
