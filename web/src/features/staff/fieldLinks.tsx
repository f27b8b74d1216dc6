import type { ReactNode } from 'react';
import { ClearOutlined, FormOutlined, SafetyOutlined, ScheduleOutlined, ToolOutlined } from '@ant-design/icons';
import type { Permission } from '../../../../src/core/permissions.ts';

/** The field-operation buttons of the staff phone desk: shown to whoever holds one of the abilities. */
export const FIELD_LINKS: Array<{ to: string; abilities: Permission[]; label: 'patrols.entry' | 'cleaning.entry' | 'equipment.entry' | 'quality.entry' | 'rosters.entry'; testId: string; icon: ReactNode }> = [
  { to: '/patrol', abilities: ['patrol.checkin'], label: 'patrols.entry', testId: 'open-patrol', icon: <SafetyOutlined /> },
  { to: '/cleaning', abilities: ['cleaning.work'], label: 'cleaning.entry', testId: 'open-cleaning', icon: <ClearOutlined /> },
  { to: '/equipment', abilities: ['equipment.maintain'], label: 'equipment.entry', testId: 'open-equipment', icon: <ToolOutlined /> },
  { to: '/quality', abilities: ['quality.manage', 'quality.rectify'], label: 'quality.entry', testId: 'open-quality', icon: <FormOutlined /> },
  { to: '/roster', abilities: ['roster.read'], label: 'rosters.entry', testId: 'open-roster', icon: <ScheduleOutlined /> },
];
