import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../core/http.ts';
import { pageOf } from '../../core/pagination.ts';
import { idParams } from '../../core/validation.ts';
import * as s from './schema.ts';
import * as buildings from './buildings.ts';
import * as rooms from './rooms.ts';
import * as structure from './structure.ts';
import * as parking from './parking.ts';

const tags = ['estate'];

export const estateRoutes: FastifyPluginAsyncZod = async (app) => {
  const d = app.deps;

  app.get('/api/phases', { schema: { tags, summary: 'Phases (期) and groups (组团)', querystring: s.communityFilter, response: { 200: z.object({ items: z.array(s.phase) }) } } }, async (req) =>
    structure.listPhases(d, ctxOf(req), req.query.communityId),
  );
  app.post('/api/phases', { schema: { tags, body: s.createPhaseBody, response: { 201: s.phase } } }, async (req, reply) => reply.status(201).send(await structure.createPhase(d, ctxOf(req), req.body)));

  app.get('/api/zones', { schema: { tags, summary: 'Zones (片区) with their responsible staff', querystring: s.communityFilter, response: { 200: z.object({ items: z.array(s.zone) }) } } }, async (req) =>
    structure.listZones(d, ctxOf(req), req.query.communityId),
  );
  app.post('/api/zones', { schema: { tags, body: s.createZoneBody, response: { 201: s.zone } } }, async (req, reply) => reply.status(201).send(await structure.createZone(d, ctxOf(req), req.body)));
  app.patch('/api/zones/:id', { schema: { tags, params: idParams, body: s.updateZoneBody, response: { 200: s.zone } } }, async (req) => structure.updateZone(d, ctxOf(req), req.params.id, req.body));

  app.get('/api/common-parts', { schema: { tags, summary: 'Common parts (共用部位)', querystring: s.communityFilter, response: { 200: z.object({ items: z.array(s.commonPart) }) } } }, async (req) =>
    structure.listCommonParts(d, ctxOf(req), req.query.communityId),
  );
  app.post('/api/common-parts', { schema: { tags, body: s.createCommonPartBody, response: { 201: s.commonPart } } }, async (req, reply) =>
    reply.status(201).send(await structure.createCommonPart(d, ctxOf(req), req.body)),
  );

  app.get('/api/buildings', { schema: { tags, summary: 'Buildings with their unit entrances', querystring: s.buildingQuery, response: { 200: pageOf(s.building) } } }, async (req) =>
    buildings.listBuildings(d, ctxOf(req), req.query),
  );
  app.post('/api/buildings', { schema: { tags, summary: 'Create a building (and its unit entrances)', body: s.createBuildingBody, response: { 201: s.building } } }, async (req, reply) =>
    reply.status(201).send(await buildings.createBuilding(d, ctxOf(req), req.body)),
  );
  app.get('/api/buildings/:id', { schema: { tags, params: idParams, response: { 200: s.building } } }, async (req) => buildings.getBuilding(d, ctxOf(req), req.params.id));
  app.patch('/api/buildings/:id', { schema: { tags, params: idParams, body: s.updateBuildingBody, response: { 200: s.building } } }, async (req) =>
    buildings.updateBuilding(d, ctxOf(req), req.params.id, req.body),
  );
  app.post('/api/buildings/:id/units', { schema: { tags, summary: 'Add a unit entrance (单元)', params: idParams, body: s.createUnitBody, response: { 201: s.building } } }, async (req, reply) =>
    reply.status(201).send(await buildings.addUnit(d, ctxOf(req), req.params.id, req.body.name)),
  );
  app.get('/api/buildings/:id/grid', { schema: { tags, summary: 'Floor-by-room grid of a building with counts by status', params: idParams, response: { 200: s.buildingGrid } } }, async (req) =>
    buildings.getBuildingGrid(d, ctxOf(req), req.params.id),
  );

  app.get('/api/rooms', { schema: { tags, summary: 'Rooms, filtered', querystring: s.roomQuery, response: { 200: pageOf(s.room) } } }, async (req) => rooms.listRooms(d, ctxOf(req), req.query));
  app.post('/api/rooms', { schema: { tags, summary: 'Create a room', body: s.createRoomBody, response: { 201: s.room } } }, async (req, reply) => reply.status(201).send(await rooms.createRoom(d, ctxOf(req), req.body)));
  app.get('/api/rooms/:id', { schema: { tags, summary: 'A room with its status history', params: idParams, response: { 200: s.roomDetail } } }, async (req) => rooms.getRoom(d, ctxOf(req), req.params.id));
  app.patch('/api/rooms/:id', { schema: { tags, params: idParams, body: s.updateRoomBody, response: { 200: s.room } } }, async (req) => rooms.updateRoom(d, ctxOf(req), req.params.id, req.body));
  app.post('/api/rooms/:id/status', { schema: { tags, summary: 'Change a room’s status with a reason', params: idParams, body: s.changeStatusBody, response: { 200: s.roomDetail } } }, async (req) =>
    rooms.changeRoomStatus(d, ctxOf(req), req.params.id, req.body),
  );

  app.get('/api/parking-spaces', { schema: { tags, querystring: s.parkingQuery, response: { 200: pageOf(s.parkingSpace) } } }, async (req) => parking.listParkingSpaces(d, ctxOf(req), req.query));
  app.post('/api/parking-spaces', { schema: { tags, body: s.createParkingSpaceBody, response: { 201: s.parkingSpace } } }, async (req, reply) =>
    reply.status(201).send(await parking.createParkingSpace(d, ctxOf(req), req.body)),
  );
  app.patch('/api/parking-spaces/:id', { schema: { tags, params: idParams, body: s.updateParkingSpaceBody, response: { 200: s.parkingSpace } } }, async (req) =>
    parking.updateParkingSpace(d, ctxOf(req), req.params.id, req.body),
  );
};
