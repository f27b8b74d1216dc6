import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RoomStatus } from '../api.ts';
import { ROOM_STATUSES, STATUS_STYLE } from '../labels.ts';

/** A room status in its grid colour. */
export function RoomStatusTag({ status, testId }: { status: RoomStatus; testId?: string }) {
  const { t } = useTranslation();
  const s = STATUS_STYLE[status];
  return (
    <span className="anju-status-tag" style={{ background: s.bg, color: s.fg, borderColor: s.border }} data-testid={testId} data-status={status}>
      {t(`estate.statuses.${status}`)}
    </span>
  );
}

/** The grid's legend with the counts by status; clicking one picks those rooms out of the grid. */
export function StatusLegend({
  counts,
  total,
  highlight,
  onHighlight,
}: {
  counts: Record<string, number>;
  total: number;
  highlight: RoomStatus | null;
  onHighlight: (s: RoomStatus | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={4} align="center" data-testid="grid-legend" role="group" aria-label={t('estate.legend')}>
      {ROOM_STATUSES.map((s) => {
        const st = STATUS_STYLE[s];
        return (
          <button
            key={s}
            type="button"
            className={highlight === s ? 'anju-legend active' : 'anju-legend'}
            aria-pressed={highlight === s}
            onClick={() => onHighlight(highlight === s ? null : s)}
            data-testid={`legend-${s}`}
          >
            <span className="anju-legend-swatch" style={{ background: st.bg, borderColor: st.border }} />
            {t(`estate.statuses.${s}`)}
            <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{counts[s] ?? 0}</strong>
          </button>
        );
      })}
      <span style={{ marginLeft: 8, color: '#8c8c8c', fontSize: 13 }} data-testid="grid-total">
        {t('estate.gridTotal', { count: total })}
      </span>
    </Flex>
  );
}
