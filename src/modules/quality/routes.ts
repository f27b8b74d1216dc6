import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import { sendReport } from '../servicedesk/reports.ts';
import * as s from './schema.ts';
import * as templates from './templates.ts';
import * as schedules from './schedules.ts';
import * as inspections from './inspections.ts';
import * as notices from './notices.ts';
import * as rewards from './rewards.ts';
import * as report from './report.ts';
import { weeklyReportPdf, weeklyReportXlsx } from './export.ts';
import { listAssignees } from './assignees.ts';
import { loadCommunity } from './repo.ts';

const tags = ['quality'];

/** 品质检查 / 整改: templates, schedules, inspections, rectification notices, rewards and penalties, scores, the weekly report. */
export const qualityRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  // Templates
  app.get('/api/quality/templates', { schema: { tags, summary: 'Checklist templates with their scored items', querystring: s.templateQuery, response: { 200: z.array(s.template) } } }, async (req) => templates.listTemplates(d, ctxOf(req), req.query));
  app.post('/api/quality/templates', { schema: { tags, summary: 'Create a checklist template', body: s.createTemplateBody, response: { 201: s.template } } }, async (req, reply) =>
    reply.status(201).send(await templates.createTemplate(d, ctxOf(req), req.body)),
  );
  app.get('/api/quality/templates/:id', { schema: { tags, summary: 'One checklist template', params: idParams, response: { 200: s.template } } }, async (req) => templates.getTemplate(d, ctxOf(req), req.params.id));
  app.patch('/api/quality/templates/:id', { schema: { tags, summary: 'Change a template; new items make a new version (past inspections keep theirs)', params: idParams, body: s.updateTemplateBody, response: { 200: s.template } } }, async (req) =>
    templates.updateTemplate(d, ctxOf(req), req.params.id, req.body),
  );

  // Schedules
  app.get('/api/quality/schedules', { schema: { tags, summary: 'Inspection schedules (weekly on a weekday, monthly on a day)', querystring: s.scheduleQuery, response: { 200: z.array(s.schedule) } } }, async (req) => schedules.listSchedules(d, ctxOf(req), req.query));
  app.post('/api/quality/schedules', { schema: { tags, summary: 'Create an inspection schedule', body: s.createScheduleBody, response: { 201: s.schedule } } }, async (req, reply) =>
    reply.status(201).send(await schedules.createSchedule(d, ctxOf(req), req.body)),
  );
  app.patch('/api/quality/schedules/:id', { schema: { tags, summary: 'Rename, change the inspector, pause or resume a schedule', params: idParams, body: s.updateScheduleBody, response: { 200: s.schedule } } }, async (req) =>
    schedules.updateSchedule(d, ctxOf(req), req.params.id, req.body),
  );

  // Inspections
  app.get('/api/quality/inspections', { schema: { tags, summary: 'Inspections, newest first', querystring: s.inspectionQuery, response: { 200: pageOf(s.inspectionSummary) } } }, async (req) => inspections.listInspections(d, ctxOf(req), req.query));
  app.post('/api/quality/inspections', { schema: { tags, summary: 'Order an ad hoc inspection or a cross-inspection (交叉检查, an inspector from another community)', body: s.createInspectionBody, response: { 201: s.inspectionDetail } } }, async (req, reply) =>
    reply.status(201).send(await inspections.createInspection(d, ctxOf(req), req.body)),
  );
  app.get('/api/quality/inspections/:id', { schema: { tags, summary: 'An inspection with its items, points and findings', params: idParams, response: { 200: s.inspectionDetail } } }, async (req) => inspections.getInspection(d, ctxOf(req), req.params.id));
  app.post('/api/quality/inspections/:id/scores', { schema: { tags, summary: 'Points deducted item by item', params: idParams, body: s.scoreItemsBody, response: { 200: s.inspectionDetail } } }, async (req) =>
    inspections.scoreItems(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/quality/inspections/:id/findings', { schema: { tags, summary: 'Record a finding with photos; it is issued as a rectification notice (整改通知)', params: idParams, body: s.createFindingBody, response: { 201: s.inspectionDetail } } }, async (req, reply) =>
    reply.status(201).send(await inspections.addFinding(d, ctxOf(req), req.params.id, req.body)),
  );
  app.post('/api/quality/inspections/:id/submit', { schema: { tags, summary: 'Submit the inspection: its score is fixed', params: idParams, body: s.submitInspectionBody, response: { 200: s.inspectionDetail } } }, async (req) =>
    inspections.submitInspection(d, ctxOf(req), req.params.id, req.body),
  );

  // Rectification notices
  app.get('/api/quality/notices', { schema: { tags, summary: 'Rectification notices, overdue first', querystring: s.noticeQuery, response: { 200: pageOf(s.noticeSummary) } } }, async (req) => notices.listNotices(d, ctxOf(req), req.query));
  app.get('/api/quality/notices/:id', { schema: { tags, summary: 'A notice with its photos, history and the steps the caller may take', params: idParams, response: { 200: s.noticeDetail } } }, async (req) => notices.getNotice(d, ctxOf(req), req.params.id));
  app.post('/api/quality/notices/:id/rectify', { schema: { tags, summary: 'Report the rectification done, with photos', params: idParams, body: s.rectifyBody, response: { 200: s.noticeDetail } } }, async (req) =>
    notices.actOnNotice(d, ctxOf(req), req.params.id, { action: 'rectify', ...req.body }),
  );
  app.post('/api/quality/notices/:id/verify', { schema: { tags, summary: 'Verified on site: close the notice (消号)', params: idParams, body: s.verifyBody, response: { 200: s.noticeDetail } } }, async (req) =>
    notices.actOnNotice(d, ctxOf(req), req.params.id, { action: 'verify', ...req.body }),
  );
  app.post('/api/quality/notices/:id/send-back', { schema: { tags, summary: 'Not good enough: send back to the responsible side with the reason', params: idParams, body: s.sendBackBody, response: { 200: s.noticeDetail } } }, async (req) =>
    notices.actOnNotice(d, ctxOf(req), req.params.id, { action: 'sendBack', ...req.body }),
  );
  app.post('/api/quality/notices/:id/extend', { schema: { tags, summary: 'Give a later deadline (escalation starts over)', params: idParams, body: s.extendBody, response: { 200: s.noticeDetail } } }, async (req) =>
    notices.actOnNotice(d, ctxOf(req), req.params.id, { action: 'extend', ...req.body }),
  );
  app.post('/api/quality/notices/:id/cancel', { schema: { tags, summary: 'Withdraw a notice recorded in error', params: idParams, body: s.cancelBody, response: { 200: s.noticeDetail } } }, async (req) =>
    notices.actOnNotice(d, ctxOf(req), req.params.id, { action: 'cancel', ...req.body }),
  );

  // Rewards and penalties, scores
  app.get('/api/quality/rewards', { schema: { tags, summary: 'Reward and penalty records (奖优罚劣)', querystring: s.rewardQuery, response: { 200: pageOf(s.reward) } } }, async (req) => rewards.listRewards(d, ctxOf(req), req.query));
  app.post('/api/quality/rewards', { schema: { tags, summary: 'Record a reward or a penalty', body: s.createRewardBody, response: { 201: s.reward } } }, async (req, reply) =>
    reply.status(201).send(await rewards.createReward(d, ctxOf(req), req.body)),
  );
  app.get('/api/quality/scores', { schema: { tags, summary: 'Scores per department and person by week or month', querystring: s.scoresQuery, response: { 200: s.scores } } }, async (req) => report.getScores(d, ctxOf(req), req.query));
  app.get('/api/quality/assignees', { schema: { tags, summary: 'Departments and staff a finding can go to, and the inspectors', querystring: s.assigneesQuery, response: { 200: s.assignees } } }, async (req) => listAssignees(d, ctxOf(req), req.query));

  // The weekly supervision report
  app.get('/api/quality/reports/weekly', { schema: { tags, summary: 'The weekly supervision report (督导报告) of a community', querystring: s.weeklyReportQuery, response: { 200: s.weeklyReport } } }, async (req) => report.getWeeklyReport(d, ctxOf(req), req.query));
  app.post('/api/quality/reports/weekly', { schema: { tags, summary: 'Compile the weekly report again with the current figures', body: s.compileReportBody, response: { 200: s.weeklyReport } } }, async (req) => report.compileReport(d, ctxOf(req), req.body));
  app.get('/api/quality/reports/weekly.xlsx', { schema: { tags, summary: 'The weekly report as .xlsx', querystring: s.weeklyReportQuery, response: { 200: z.any() } } }, async (req, reply) => {
    const ctx = ctxOf(req);
    const r = await report.getWeeklyReport(d, ctx, req.query);
    const c = await loadCommunity(d.db, ctx.actor, r.communityId, 'notFound');
    return sendReport(reply, await weeklyReportXlsx(r, ctx.lang, c.time_zone));
  });
  app.get('/api/quality/reports/weekly.pdf', { schema: { tags, summary: 'The weekly report as PDF', querystring: s.weeklyReportQuery, response: { 200: z.any() } } }, async (req, reply) => {
    const ctx = ctxOf(req);
    const r = await report.getWeeklyReport(d, ctx, req.query);
    const c = await loadCommunity(d.db, ctx.actor, r.communityId, 'notFound');
    const file = await weeklyReportPdf(r, ctx.lang, c.time_zone);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'no-store')
      .send(file.data);
  });
};
