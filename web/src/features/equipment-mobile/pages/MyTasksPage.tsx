import { Link } from 'react-router-dom';
import { Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { RightOutlined, ScanOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useTasks, type Task } from '../../equipment/api.ts';

/** 我的维保: my open maintenance tasks (generated up to their lead days ahead), overdue first. */
export function MyTasksPage() {
  const { t } = useTranslation();
  const q = useTasks({ mine: true, view: 'open', pageSize: 100 });
  const items = q.data?.items;
  return (
    <div className="m-page" data-testid="m-equipment-tasks">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('equipment.mobile.myTasks')}
        {q.data ? ` ${q.data.total}` : ''}
      </Typography.Title>
      <div className="m-sub" style={{ margin: '4px 0 12px' }}>
        <ScanOutlined /> {t('equipment.mobile.scanHint')}
      </div>
      {q.error ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !items ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('equipment.mobile.noTasks')} />
        </div>
      ) : (
        <Flex vertical gap={10}>
          {items.map((task) => (
            <TaskRow key={task.id} task={task} />
          ))}
        </Flex>
      )}
    </div>
  );
}

function TaskRow({ task }: { task: Task }) {
  const { t } = useTranslation();
  const today = dayjs().format('YYYY-MM-DD');
  return (
    <Link to={`/equipment/tasks/${task.id}`} className="m-card" style={{ display: 'block', color: 'inherit' }} data-testid="m-equipment-task">
      <Flex justify="space-between" align="center" gap={8}>
        <div style={{ minWidth: 0 }}>
          <div style={{ fontWeight: 600 }}>{task.title}</div>
          <div className="m-sub">
            {task.equipment.code} · {task.equipment.location}
          </div>
          <Flex gap={6} style={{ marginTop: 6 }}>
            {task.overdue ? <Tag color="red">{t('equipment.mobile.overdue')}</Tag> : task.dueOn === today ? <Tag color="blue">{t('equipment.mobile.today')}</Tag> : null}
            <Tag>{t('equipment.mobile.dueOn', { date: task.dueOn })}</Tag>
            <Tag>{t(`equipment.categories.${task.equipment.category}`)}</Tag>
          </Flex>
        </div>
        <RightOutlined style={{ color: '#bbb' }} />
      </Flex>
    </Link>
  );
}
