import { useState } from 'react';
import { Checkbox, DatePicker, Flex, Image, Select, Table, Typography } from 'antd';
import { QrcodeOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { type CleaningTask, type TaskState, fileUrl, thumbUrl, useAreas, useTasks } from '../api.ts';
import { StateTag, windowText } from '../components/labels.tsx';

const STATES: TaskState[] = ['open', 'overdue', 'done', 'late', 'missed'];

/** 作业记录: every task of a period with who did it, when, how they checked in, their note and photos. */
export default function HistoryPage() {
  const { t } = useTranslation();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [range, setRange] = useState<[string, string]>([dayjs().subtract(6, 'day').format('YYYY-MM-DD'), dayjs().format('YYYY-MM-DD')]);
  const [areaId, setAreaId] = useState<string | undefined>();
  const [state, setState] = useState<TaskState | undefined>();
  const [withPhotos, setWithPhotos] = useState(false);
  const [page, setPage] = useState(1);
  const areas = useAreas(communityId, true);
  const tasks = useTasks({ communityId, from: range[0], to: range[1], areaId, state, withPhotos: withPhotos ? 'true' : undefined, page, pageSize: 20 }, Boolean(communityId));

  return (
    <div data-testid="cleaning-history">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        {!fromHeader && <CommunitySelect value={communityId} onChange={(c) => c && setCommunityId(c)} />}
        <DatePicker.RangePicker
          value={[dayjs(range[0]), dayjs(range[1])]}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')]);
            setPage(1);
          }}
        />
        <Select
          allowClear
          placeholder={t('cleaning.area')}
          style={{ width: 160 }}
          value={areaId}
          onChange={(v) => (setAreaId(v), setPage(1))}
          options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
        <Select
          allowClear
          placeholder={t('cleaning.history.allStates')}
          style={{ width: 130 }}
          value={state}
          onChange={(v) => (setState(v), setPage(1))}
          options={STATES.map((s) => ({ value: s, label: t(`cleaning.state.${s}`) }))}
        />
        <Checkbox checked={withPhotos} onChange={(e) => (setWithPhotos(e.target.checked), setPage(1))}>
          {t('cleaning.history.withPhotos')}
        </Checkbox>
      </Flex>
      {tasks.error ? (
        <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : (
        <Table<CleaningTask>
          size="small"
          rowKey="id"
          loading={tasks.isFetching && !tasks.data}
          dataSource={tasks.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: tasks.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('cleaning.day'), dataIndex: 'day', width: 105 },
            { title: t('cleaning.window'), key: 'w', width: 120, render: (_, r) => windowText(r.startsAt, r.dueAt) },
            { title: t('cleaning.area'), key: 'a', width: 110, render: (_, r) => r.area.name },
            { title: t('cleaning.item'), key: 'i', render: (_, r) => r.item.name },
            { title: t('cleaning.assignee'), key: 'p', width: 100, render: (_, r) => r.assignee?.name ?? <Typography.Text type="secondary">{t('cleaning.team')}</Typography.Text> },
            { title: t('cleaning.status'), key: 's', width: 95, render: (_, r) => <StateTag state={r.state} /> },
            {
              title: t('cleaning.doneAt'),
              key: 'd',
              width: 150,
              render: (_, r) =>
                r.doneAt && (
                  <span>
                    {dayjs(r.doneAt).format('MM-DD HH:mm')} {r.doneBy?.name} {r.checkIn === 'qr' && <QrcodeOutlined title={t('cleaning.checkIn.qr')} />}
                  </span>
                ),
            },
            { title: t('cleaning.note'), dataIndex: 'note', ellipsis: true },
            {
              title: t('cleaning.photos'),
              key: 'ph',
              width: 150,
              render: (_, r) => (
                <Image.PreviewGroup>
                  <Flex gap={4}>
                    {r.photoIds.map((id) => (
                      <Image key={id} src={thumbUrl(id)} preview={{ src: fileUrl(id) }} width={40} height={40} style={{ objectFit: 'cover', borderRadius: 4 }} />
                    ))}
                  </Flex>
                </Image.PreviewGroup>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
