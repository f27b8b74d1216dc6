import { Image } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../api.ts';

const STAGES = ['report', 'before', 'progress', 'after', 'visit'] as const;
type Stage = (typeof STAGES)[number];

/** The ticket's photos by stage (reported, on arrival, during, after the work), side by side; tap one to see it full size. */
export function TicketPhotos({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const groups = STAGES.map((stage: Stage) => ({ stage, items: ticket.attachments.filter((a) => a.stage === stage) })).filter((g) => g.items.length);
  if (!groups.length) return null;
  return (
    <Image.PreviewGroup>
      <div className="m-photo-groups">
        {groups.map((g) => (
          <div key={g.stage} className="m-photo-group" data-testid={`m-photos-${g.stage}`}>
            <div className="m-photo-group-title">{t(`servicedeskMobile.photoStages.${g.stage}`)}</div>
            <div className="m-photos">
              {g.items.map((a) => (
                <div className="m-photo" key={a.fileId}>
                  <Image src={`${a.url}/thumb`} preview={{ src: a.url }} alt="" width={72} height={72} style={{ objectFit: 'cover' }} data-testid="m-photo" />
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
    </Image.PreviewGroup>
  );
}
