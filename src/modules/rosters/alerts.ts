import type { Deps } from '../../deps.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { notify, wake } from '../servicedesk/notify.ts';
import { nextDay } from './onshift.ts';
import { ALERT_STAGES, dueAlertStage } from './rules.ts';
import { CERTIFICATE_KINDS } from './schema.ts';

/**
 * Certificate expiry alerts: 60 and 30 days before and on the day of expiry, to the holder and to the head of each
 * department the holder has a post in. Each (certificate, stage) is claimed once in `certificate_alerts`
 * (INSERT … ON CONFLICT DO NOTHING … RETURNING), in the same transaction as the notifications, so a job run twice —
 * or by two processes — sends nothing twice, and a run that missed a day still sends the stage that came due.
 */
const STAGE_TEXT: Record<number, (kind: string, day: string) => { title: string; body: string }> = {
  60: (kind, day) => ({ title: `证书将于 60 天内到期：${kind}`, body: `${kind}将于 ${day} 到期，请安排复审或换证。` }),
  30: (kind, day) => ({ title: `证书将于 30 天内到期：${kind}`, body: `${kind}将于 ${day} 到期，请尽快复审或换证；到期后不能上持证岗位。` }),
  0: (kind, day) => ({ title: `证书今天到期：${kind}`, body: `${kind}于 ${day} 到期，明天起不能上需要此证的岗位。` }),
};

export async function sendCertificateAlerts(deps: Pick<Deps, 'db'>, now: Date, timeZone = 'Asia/Shanghai'): Promise<{ alerts: number; notified: number }> {
  const today = localDate(now, timeZone);
  const horizon = nextDay(today, ALERT_STAGES[0]);
  const candidates = await deps.db
    .selectFrom('staff_certificates as c')
    .innerJoin('companies as co', 'co.id', 'c.company_id')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.company_id', 'c.user_id', 'c.kind', 'c.number', 'c.expires_on', 'u.display_name'])
    .where('co.status', '=', 'active')
    .where('u.status', '=', 'active')
    .where('c.revoked_at', 'is', null)
    .where('c.expires_on', '>=', today)
    .where('c.expires_on', '<=', horizon)
    .execute();
  const due = candidates.flatMap((c) => {
    const stage = dueAlertStage(c.expires_on!, today);
    return stage === null ? [] : [{ ...c, stage }];
  });
  let alerts = 0;
  const woken: string[] = [];
  for (const c of due) {
    const users = await deps.db.transaction().execute(async (trx) => {
      // A later stage already sent (30 after a missed 60) makes the earlier one moot.
      const claimed = await trx
        .insertInto('certificate_alerts')
        .values({ certificate_id: c.id, stage: c.stage, company_id: c.company_id, expires_on: c.expires_on! })
        .onConflict((oc) => oc.columns(['certificate_id', 'stage']).doNothing())
        .returning('stage')
        .executeTakeFirst();
      if (!claimed) return [];
      const later = await trx.selectFrom('certificate_alerts').select('stage').where('certificate_id', '=', c.id).where('stage', '<', c.stage).executeTakeFirst();
      if (later) return [];
      const heads = await trx
        .selectFrom('post_members as m')
        .innerJoin('posts as p', 'p.id', 'm.post_id')
        .innerJoin('departments as d', 'd.id', 'p.department_id')
        .select('d.head_id')
        .distinct()
        .where('m.user_id', '=', c.user_id)
        .where('p.active', '=', true)
        .where('d.head_id', 'is not', null)
        .execute();
      const kind = CERTIFICATE_KINDS.find((k) => k.code === c.kind)?.zh ?? c.kind;
      const text = STAGE_TEXT[c.stage](kind, c.expires_on!);
      const own = await notify(trx, c.company_id, { userIds: [c.user_id], ticketId: null, kind: 'certificate.expiry', title: text.title, body: `${text.body}（证号 ${c.number}）` });
      const others = await notify(trx, c.company_id, {
        userIds: heads.map((h) => h.head_id).filter((h) => h !== c.user_id),
        ticketId: null,
        kind: 'certificate.expiry',
        title: `${c.display_name}：${text.title}`,
        body: `${c.display_name}的${text.body}（证号 ${c.number}）`,
      });
      return [...own, ...others];
    });
    if (users.length) alerts += 1;
    woken.push(...users);
  }
  wake([...new Set(woken)]);
  return { alerts, notified: woken.length };
}
