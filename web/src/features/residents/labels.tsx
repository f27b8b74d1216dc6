import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CARE_FLAGS } from '../../../../src/modules/residents/rules.ts';
import { ID_TYPES, RELATIONS } from '../../../../src/modules/residents/schema.ts';
import type { CareFlag, Relation } from './api.ts';

export { CARE_FLAGS, ID_TYPES, RELATIONS };

const RELATION_COLOR: Record<Relation, string> = { owner: 'blue', family: 'green', tenant: 'purple' };
const CARE_COLOR: Record<CareFlag, string> = { elderlyAlone: 'volcano', pregnant: 'magenta', child: 'gold', mobilityImpaired: 'orange' };

export function isCareFlag(f: string): f is CareFlag {
  return (CARE_FLAGS as readonly string[]).includes(f);
}

/** 业主 / 家属 / 租客 */
export function RelationTag({ relation }: { relation: Relation }) {
  const { t } = useTranslation();
  return (
    <Tag color={RELATION_COLOR[relation]} style={{ marginInlineEnd: 0 }} data-testid="relation-tag">
      {t(`residents.relations.${relation}`)}
    </Tag>
  );
}

/** 独居老人, 孕妇, 儿童, 行动不便: what the concierge should know. */
export function CareFlagTags({ flags }: { flags: string[] }) {
  const { t } = useTranslation();
  if (!flags.length) return null;
  return (
    <>
      {flags.map((f) =>
        isCareFlag(f) ? (
          <Tag key={f} color={CARE_COLOR[f]} style={{ marginInlineEnd: 4 }} data-testid="care-flag">
            {t(`residents.careFlags.${f}`)}
          </Tag>
        ) : (
          <Tag key={f}>{f}</Tag>
        ),
      )}
    </>
  );
}

const POSITIONS = ['director', 'deputyDirector', 'member'] as const;

/** 主任 / 副主任 / 委员; a position the dictionary does not know shows as sent. */
export function positionLabel(t: TFunction, position: string): string {
  return (POSITIONS as readonly string[]).includes(position) ? t(`committee.positions.${position as (typeof POSITIONS)[number]}`) : position;
}
