import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  catalogue,
  completeTaskBody,
  createEquipmentBody,
  createInspectionBody,
  createPlanBody,
  equipmentDetail,
  equipmentSummary,
  equipmentTicket,
  faultBody,
  faultResult,
  figures,
  inspection,
  plan,
  recordBody,
  statusBody,
  task,
  updatePlanBody,
} from '../../../../src/modules/equipment/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

// ── Types, all from the server's schemas ──────────────────────────────────────────────────────────────────────
export type EquipmentSummary = z.infer<typeof equipmentSummary>;
export type EquipmentDetail = z.infer<typeof equipmentDetail>;
export type EquipmentTicket = z.infer<typeof equipmentTicket>;
export type Plan = z.infer<typeof plan>;
export type Task = z.infer<typeof task>;
export type Inspection = z.infer<typeof inspection>;
export type Figures = z.infer<typeof figures>;
export type Catalogue = z.infer<typeof catalogue>;
export type CreateEquipment = z.input<typeof createEquipmentBody>;
export type CreatePlan = z.input<typeof createPlanBody>;
export type UpdatePlan = z.input<typeof updatePlanBody>;
export type CreateInspection = z.input<typeof createInspectionBody>;
export type RecordInspection = z.input<typeof recordBody>;
export type CompleteTask = z.input<typeof completeTaskBody>;
export type StatusChange = z.input<typeof statusBody>;
export type FaultReport = z.input<typeof faultBody>;
export type FaultResult = z.infer<typeof faultResult>;
export type EquipmentStatus = EquipmentSummary['status'];
export type Category = EquipmentSummary['category'];

type Query = Record<string, string | number | boolean | undefined>;

export const eqKeys = {
  all: ['equipment'] as const,
  list: (q: Query) => ['equipment', 'list', q] as const,
  one: (id: string) => ['equipment', 'one', id] as const,
  tickets: (id: string) => ['equipment', 'tickets', id] as const,
  plans: (q: Query) => ['equipment', 'plans', q] as const,
  tasks: (q: Query) => ['equipment', 'tasks', q] as const,
  task: (id: string) => ['equipment', 'task', id] as const,
  inspections: (q: Query) => ['equipment', 'inspections', q] as const,
  figures: (q: Query) => ['equipment', 'figures', q] as const,
  catalogue: ['equipment', 'catalogue'] as const,
};

export const useEquipmentList = (q: Query) => useQuery({ queryKey: eqKeys.list(q), queryFn: () => api.get<Page<EquipmentSummary>>('/api/equipment', q), placeholderData: keepPreviousData });
export const useEquipment = (id: string | undefined) => useQuery({ queryKey: eqKeys.one(id ?? ''), queryFn: () => api.get<EquipmentDetail>(`/api/equipment/${id}`), enabled: Boolean(id) });
export const useEquipmentTickets = (id: string) => useQuery({ queryKey: eqKeys.tickets(id), queryFn: () => api.get<EquipmentTicket[]>(`/api/equipment/${id}/tickets`) });
export const usePlans = (q: Query) => useQuery({ queryKey: eqKeys.plans(q), queryFn: () => api.get<Page<Plan>>('/api/maintenance-plans', q), placeholderData: keepPreviousData });
export const useTasks = (q: Query) => useQuery({ queryKey: eqKeys.tasks(q), queryFn: () => api.get<Page<Task>>('/api/maintenance-tasks', q), placeholderData: keepPreviousData });
export const useTask = (id: string) => useQuery({ queryKey: eqKeys.task(id), queryFn: () => api.get<Task>(`/api/maintenance-tasks/${id}`) });
export const useInspections = (q: Query) => useQuery({ queryKey: eqKeys.inspections(q), queryFn: () => api.get<Page<Inspection>>('/api/equipment-inspections', q), placeholderData: keepPreviousData });
export const useFigures = (q: Query) => useQuery({ queryKey: eqKeys.figures(q), queryFn: () => api.get<Figures>('/api/equipment-figures', q) });
export const useCatalogue = () => useQuery({ queryKey: eqKeys.catalogue, queryFn: () => api.get<Catalogue>('/api/equipment-catalogue'), staleTime: Infinity });

/** Every write refreshes the module's lists: they all show status, counts or due dates the write may change. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: eqKeys.all }) });
}

export const useCreateEquipment = () => useWrite((b: CreateEquipment) => api.post<EquipmentDetail>('/api/equipment', b));
export const useUpdateEquipment = (id: string) => useWrite((b: Partial<CreateEquipment>) => api.patch<EquipmentDetail>(`/api/equipment/${id}`, b));
export const useChangeStatus = (id: string) => useWrite((b: StatusChange) => api.post<EquipmentDetail>(`/api/equipment/${id}/status`, b));
export const useReportFault = (id: string) => useWrite((b: FaultReport) => api.post<FaultResult>(`/api/equipment/${id}/faults`, b));
export const useCreatePlan = () => useWrite((b: CreatePlan) => api.post<Plan>('/api/maintenance-plans', b));
export const useUpdatePlan = () => useWrite(({ id, ...b }: UpdatePlan & { id: string }) => api.patch<Plan>(`/api/maintenance-plans/${id}`, b));
export const useGenerate = () => useWrite((b: { communityId: string }) => api.post<{ created: number }>('/api/maintenance-tasks/generate', b));
export const useCompleteTask = (id: string) => useWrite((b: CompleteTask) => api.post<Task>(`/api/maintenance-tasks/${id}/complete`, b));
export const useCreateInspection = () => useWrite((b: CreateInspection) => api.post<Inspection>('/api/equipment-inspections', b));
export const useRecordInspection = () => useWrite(({ id, ...b }: RecordInspection & { id: string }) => api.post<Inspection>(`/api/equipment-inspections/${id}/records`, b));
export const scanCode = (code: string) => api.get<{ id: string }>(`/api/equipment/scan/${encodeURIComponent(code)}`);

export const STATUS_COLORS: Record<EquipmentStatus, string> = { normal: 'green', fault: 'red', stopped: 'default' };
