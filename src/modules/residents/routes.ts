import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as residents from './service.ts';
import * as links from './links.ts';
import * as vehicles from './vehicles.ts';
import * as moveIns from './moveins.ts';
import * as household from './household.ts';

const tags = ['residents'];

export const residentRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/residents', { schema: { tags, summary: 'Search residents by name, phone (or its last 4 digits), plate or room number', querystring: s.residentQuery, response: { 200: pageOf(s.resident) } } }, async (req) =>
    residents.searchResidents(d, ctxOf(req), req.query),
  );
  app.post('/api/residents', { schema: { tags, body: s.createResidentBody, response: { 201: s.residentDetail } } }, async (req, reply) => reply.status(201).send(await residents.createResident(d, ctxOf(req), req.body)));
  app.get('/api/residents/:id', { schema: { tags, params: idParams, response: { 200: s.residentDetail } } }, async (req) => residents.getResident(d, ctxOf(req), req.params.id));
  app.patch('/api/residents/:id', { schema: { tags, params: idParams, body: s.updateResidentBody, response: { 200: s.residentDetail } } }, async (req) => residents.updateResident(d, ctxOf(req), req.params.id, req.body));
  app.post('/api/residents/:id/reveal', { schema: { tags, summary: 'Phone and ID number in full (needs personal.viewFull; audited)', params: idParams, response: { 200: s.revealed } } }, async (req) =>
    residents.revealResident(d, ctxOf(req), req.params.id),
  );

  app.get('/api/rooms/:id/residents', { schema: { tags, summary: 'Household of a room: current and past residents, vehicles', params: idParams, response: { 200: s.roomHousehold } } }, async (req) =>
    links.getRoomHousehold(d, ctxOf(req), req.params.id),
  );
  app.post('/api/rooms/:id/residents', { schema: { tags, summary: 'Link a resident (existing or new) as owner, family member or tenant', params: idParams, body: s.linkResidentBody, response: { 201: s.roomHousehold } } }, async (req, reply) =>
    reply.status(201).send(await links.linkResident(d, ctxOf(req), req.params.id, req.body)),
  );
  app.post('/api/room-residents/:id/end', { schema: { tags, summary: 'End one resident’s link to a room', params: idParams, body: s.endLinkBody, response: { 200: s.roomHousehold } } }, async (req) =>
    links.endLink(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/rooms/:id/move-out', { schema: { tags, summary: 'Move-out: end every current link; the room becomes vacant', params: idParams, body: s.moveOutBody, response: { 200: s.roomHousehold } } }, async (req) =>
    links.moveOut(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/vehicles', { schema: { tags, querystring: s.vehicleQuery, response: { 200: pageOf(s.vehicle) } } }, async (req) => vehicles.listVehicles(d, ctxOf(req), req.query));
  app.post('/api/vehicles', { schema: { tags, body: s.createVehicleBody, response: { 201: s.vehicle } } }, async (req, reply) => reply.status(201).send(await vehicles.createVehicle(d, ctxOf(req), req.body)));
  app.patch('/api/vehicles/:id', { schema: { tags, params: idParams, body: s.updateVehicleBody, response: { 200: s.vehicle } } }, async (req) => vehicles.updateVehicle(d, ctxOf(req), req.params.id, req.body));
  app.delete('/api/vehicles/:id', { schema: { tags, params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await vehicles.deleteVehicle(d, ctxOf(req), req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/parking-spaces/:id/holdings', { schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(s.parkingHolding) }) } } }, async (req) =>
    vehicles.listHoldings(d, ctxOf(req), req.params.id),
  );
  app.post('/api/parking-spaces/:id/holdings', { schema: { tags, summary: 'Sell or rent a space to a resident for a period', params: idParams, body: s.createHoldingBody, response: { 201: s.parkingHolding } } }, async (req, reply) =>
    reply.status(201).send(await vehicles.addHolding(d, ctxOf(req), req.params.id, req.body)),
  );

  app.post('/api/parking-holdings/:id/end', { schema: { tags, summary: 'End a parking holding (rental over, space sold on)', params: idParams, body: s.endHoldingBody, response: { 200: s.parkingHolding } } }, async (req) =>
    vehicles.endHolding(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/committee-members', { schema: { tags, summary: 'Owners’ committee (业委会) members and terms', querystring: s.communityFilter, response: { 200: z.object({ items: z.array(s.committeeMember) }) } } }, async (req) =>
    vehicles.listCommittee(d, ctxOf(req), req.query.communityId),
  );
  app.post('/api/committee-members', { schema: { tags, body: s.createCommitteeMemberBody, response: { 201: s.committeeMember } } }, async (req, reply) =>
    reply.status(201).send(await vehicles.addCommitteeMember(d, ctxOf(req), req.body)),
  );

  app.get('/api/move-ins', { schema: { tags, querystring: z.object({ roomId: z.uuid().optional() }), response: { 200: z.object({ items: z.array(s.moveIn) }) } } }, async (req) =>
    moveIns.listMoveIns(d, ctxOf(req), req.query.roomId),
  );
  app.post('/api/move-ins', { schema: { tags, summary: 'Register a move-in (入住登记): notice, contract, owner', body: s.createMoveInBody, response: { 201: s.moveIn } } }, async (req, reply) =>
    reply.status(201).send(await moveIns.registerMoveIn(d, ctxOf(req), req.body)),
  );
  app.get('/api/move-ins/:id', { schema: { tags, params: idParams, response: { 200: s.moveIn } } }, async (req) => moveIns.getMoveIn(d, ctxOf(req), req.params.id));
  app.post('/api/move-ins/:id/inspection', { schema: { tags, summary: 'Record the joint inspection checklist (查验) with defects', params: idParams, body: s.inspectionBody, response: { 200: s.moveIn } } }, async (req) =>
    moveIns.recordInspection(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/move-ins/:id/handover', { schema: { tags, summary: 'Hand over the keys; the room becomes delivered or occupied', params: idParams, body: s.handoverBody, response: { 200: s.moveIn } } }, async (req) =>
    moveIns.handOver(d, ctxOf(req), req.params.id, req.body),
  );

  app.post('/api/move-ins/:id/cancel', { schema: { tags, summary: 'Cancel a move-in registered by mistake', params: idParams, body: s.cancelMoveInBody, response: { 200: s.moveIn } } }, async (req) =>
    moveIns.cancelMoveIn(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/household-requests', { schema: { tags, summary: 'Owners’ requests to add family members or tenants', querystring: s.requestQuery, response: { 200: pageOf(s.householdRequest) } } }, async (req) =>
    household.listHouseholdRequests(d, ctxOf(req), req.query),
  );
  app.post('/api/household-requests/:id/approve', { schema: { tags, params: idParams, body: s.decisionBody, response: { 200: s.householdRequest } } }, async (req) =>
    household.decideHouseholdRequest(d, ctxOf(req), req.params.id, true, req.body.note),
  );
  app.post('/api/household-requests/:id/reject', { schema: { tags, params: idParams, body: s.decisionBody, response: { 200: s.householdRequest } } }, async (req) =>
    household.decideHouseholdRequest(d, ctxOf(req), req.params.id, false, req.body.note),
  );
  app.get('/api/owner/household-requests', { schema: { tags: ['owner'], summary: 'My requests', response: { 200: z.object({ items: z.array(s.householdRequest) }) } } }, async (req) =>
    household.myHouseholdRequests(d, ctxOf(req)),
  );
  app.post('/api/owner/household-requests', { schema: { tags: ['owner'], summary: 'Ask to add a family member or tenant to my room', body: s.householdRequestBody, response: { 201: s.householdRequest } } }, async (req, reply) =>
    reply.status(201).send(await household.submitHouseholdRequest(d, ctxOf(req), req.body)),
  );
};
