import { useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Empty, Flex, Progress, Row, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { CameraOutlined, QrcodeOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { type CleaningTask, type TaskState, useBoard, useGenerate } from '../api.ts';
import { STATE_HEX, StateTag, windowText } from '../components/labels.tsx';

const STATES: TaskState[] = ['open', 'overdue', 'done', 'late', 'missed'];

/** 今日看板: a community's tasks of a day by area, each coloured by its state, with the day's progress. */
export default function BoardPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [day, setDay] = useState(dayjs().format('YYYY-MM-DD'));
  const board = useBoard(communityId, day);
  const generate = useGenerate();

  const byArea = useMemo(() => {
    const groups = new Map<string, { name: string; kind: CleaningTask['area']['kind']; tasks: CleaningTask[] }>();
    for (const task of board.data?.tasks ?? []) {
      const g = groups.get(task.area.id) ?? { name: task.area.name, kind: task.area.kind, tasks: [] };
      g.tasks.push(task);
      groups.set(task.area.id, g);
    }
    return [...groups.entries()];
  }, [board.data]);

  const counts = board.data?.counts;
  const total = counts ? STATES.reduce((n, s) => n + counts[s], 0) : 0;
  const finished = counts ? counts.done + counts.late : 0;

  return (
    <div data-testid="cleaning-board">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        {!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} />}
        <DatePicker value={dayjs(day)} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} allowClear={false} data-testid="cleaning-board-day" />
        <Button icon={<ReloadOutlined />} onClick={() => void board.refetch()} />
        {can('cleaning.manage') && communityId && (
          <Button
            loading={generate.isPending}
            onClick={() =>
              generate.mutate({ communityId, day }, { onSuccess: (r) => void message.success(t('cleaning.generated', { created: r.created, assigned: r.assigned })), onError: (e) => void message.error(e.message) })
            }
          >
            {t('cleaning.generate')}
          </Button>
        )}
      </Flex>
      {board.error ? (
        <QueryError error={board.error} onRetry={() => void board.refetch()} />
      ) : !board.data ? (
        <Skeleton active />
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Flex gap={24} wrap align="center">
              <Progress type="circle" size={72} percent={total ? Math.round((finished / total) * 100) : 0} />
              <Space size={[8, 8]} wrap>
                <Typography.Text type="secondary">{t('cleaning.counts', { total })}</Typography.Text>
                {STATES.map((s) => (
                  <Tag key={s} color={STATE_HEX[s]} data-testid={`board-count-${s}`}>
                    {t(`cleaning.state.${s}`)} {counts![s]}
                  </Tag>
                ))}
              </Space>
            </Flex>
          </Card>
          {byArea.length === 0 ? (
            <Empty description={t('cleaning.noTasks')} />
          ) : (
            <Row gutter={[16, 16]}>
              {byArea.map(([id, g]) => (
                <Col key={id} xs={24} md={12} xl={8}>
                  <Card
                    size="small"
                    title={g.name}
                    extra={<Tag color={g.kind === 'greening' ? 'green' : 'cyan'}>{t(`cleaning.kind.${g.kind}`)}</Tag>}
                    data-testid="board-area"
                  >
                    <Flex vertical gap={6}>
                      {g.tasks.map((task) => (
                        <TaskLine key={task.id} task={task} />
                      ))}
                    </Flex>
                  </Card>
                </Col>
              ))}
            </Row>
          )}
        </>
      )}
    </div>
  );
}

function TaskLine({ task }: { task: CleaningTask }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" gap={8} style={{ borderLeft: `3px solid ${STATE_HEX[task.state]}`, paddingLeft: 8 }}>
      <Typography.Text style={{ width: 92, flex: 'none' }} type="secondary">
        {windowText(task.startsAt, task.dueAt)}
      </Typography.Text>
      <Typography.Text ellipsis style={{ flex: 1 }}>
        {task.item.name}
      </Typography.Text>
      <Tooltip title={task.doneAt ? `${t('cleaning.doneAt')} ${dayjs(task.doneAt).format('HH:mm')} · ${task.doneBy?.name ?? ''}` : task.shift?.name}>
        <Typography.Text type="secondary" style={{ flex: 'none' }}>
          {task.assignee?.name ?? t('cleaning.team')}
        </Typography.Text>
      </Tooltip>
      {task.checkIn === 'qr' && <QrcodeOutlined />}
      {task.photoIds.length > 0 && <CameraOutlined />}
      <StateTag state={task.state} />
    </Flex>
  );
}
