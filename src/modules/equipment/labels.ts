import QRCode from 'qrcode';
import type { Deps } from '../../deps.ts';
import { type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { signCode, verifyCode } from '../../core/signed-codes.ts';
import { FONT, renderPdf } from '../../core/pdf.ts';
import { categoryInfo } from './catalogue.ts';
import { loadCommunity, loadEquipment } from './repo.ts';

/**
 * QR labels (设备标识牌): each carries `<origin>/m/equipment/scan/<signed code>`, which opens the item's phone page
 * after login. The code is signed with the company's key, so a label made up, altered or printed by another company
 * does not resolve (404), and the id inside it is never trusted on its own.
 */

type D = Pick<Deps, 'db' | 'config'>;
export const CODE_KIND = 'eq';

export function scanUrl(origin: string, code: string): string {
  return `${origin}/m/equipment/scan/${code}`;
}

/** The address labels point to: ANJU_PUBLIC_URL when set, else the address the console was opened at. */
export function originOf(deps: D, requestOrigin: string): string {
  return deps.config.payments.publicUrl || requestOrigin;
}

export async function labelOf(deps: D, ctx: RequestContext, id: string, origin: string) {
  requirePermission(ctx.actor, 'equipment.read');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  const code = await signCode(deps.db, e.company_id, CODE_KIND, e.id);
  return { equipment: e, url: scanUrl(originOf(deps, origin), code) };
}

export async function labelPng(deps: D, ctx: RequestContext, id: string, origin: string): Promise<Buffer> {
  const { url } = await labelOf(deps, ctx, id, origin);
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 480 });
}

export async function labelSvg(deps: D, ctx: RequestContext, id: string, origin: string): Promise<string> {
  const { url } = await labelOf(deps, ctx, id, origin);
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The item a scanned code names, or 404 for a forged code, another company's code or an item the caller cannot see. */
export async function scan(deps: D, ctx: RequestContext, code: string): Promise<{ id: string }> {
  requirePermission(ctx.actor, 'equipment.read');
  const id = await verifyCode(deps.db, companyOf(ctx.actor), CODE_KIND, code);
  if (!id) throw new NotFoundError('equipment');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  return { id: e.id };
}

const MAX_LABELS = 300;

/** A PDF sheet of labels, 3 × 4 to an A4 page (each 60 × 65 mm): QR, code, name, location, the company's hotline line left blank. */
export async function labelSheet(deps: D, ctx: RequestContext, q: { communityId: string; category?: string; ids?: string }, origin: string): Promise<Buffer> {
  requirePermission(ctx.actor, 'equipment.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const ids = q.ids ? q.ids.split(',').map((s) => s.trim()).filter(Boolean) : null;
  if (ids && ids.some((i) => !/^[0-9a-f-]{36}$/i.test(i))) throw new ValidationError('ids', 'validation.format');
  const scope = communityScope(ctx.actor);
  const rows = await deps.db
    .selectFrom('equipment')
    .select(['id', 'company_id', 'code', 'name', 'category', 'location'])
    .where('company_id', '=', companyOf(ctx.actor))
    .where('community_id', '=', community.id)
    .$if(scope !== null, (qb) => qb.where('community_id', 'in', scope!))
    .$if(Boolean(q.category), (qb) => qb.where('category', '=', q.category!))
    .$if(ids !== null, (qb) => qb.where('id', 'in', ids!.length ? ids! : ['00000000-0000-0000-0000-000000000000']))
    .orderBy('category')
    .orderBy('code')
    .limit(MAX_LABELS + 1)
    .execute();
  if (rows.length > MAX_LABELS) throw new ValidationError('ids', 'validation.tooManyRows', { max: MAX_LABELS });
  if (ids && rows.length !== new Set(ids).size) throw new ValidationError('ids', 'validation.unknownIds');
  const base = originOf(deps, origin);
  const labels = await Promise.all(
    rows.map(async (r) => {
      const url = scanUrl(base, await signCode(deps.db, r.company_id, CODE_KIND, r.id));
      return { ...r, png: await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 }) };
    }),
  );
  const mm = 72 / 25.4;
  const en = ctx.lang === 'en';
  return renderPdf({ size: 'A4', margin: 15 * mm, title: en ? `Equipment labels — ${community.name}` : `${community.name} 设备标识牌`, lang: ctx.lang }, (doc) => {
    const cols = 3;
    const perPage = 12;
    const w = 60 * mm;
    const h = 65 * mm;
    const gapX = (doc.page.width - 30 * mm - cols * w) / (cols - 1);
    if (!labels.length) doc.fontSize(12).text(en ? 'No equipment.' : '没有设备。');
    labels.forEach((l, i) => {
      if (i > 0 && i % perPage === 0) doc.addPage();
      const slot = i % perPage;
      const x = 15 * mm + (slot % cols) * (w + gapX);
      const y = 15 * mm + Math.floor(slot / cols) * (h + 2 * mm);
      doc.lineWidth(0.5).roundedRect(x, y, w, h, 6).stroke('#888888');
      doc.font(FONT.bold).fontSize(9).fillColor('black').text(en ? 'Equipment label' : '设备标识牌', x, y + 2 * mm, { width: w, align: 'center' });
      doc.image(l.png, x + (w - 34 * mm) / 2, y + 7 * mm, { width: 34 * mm, height: 34 * mm });
      doc.font(FONT.bold).fontSize(10).text(l.code, x + 2 * mm, y + 42 * mm, { width: w - 4 * mm, align: 'center', lineBreak: false });
      doc.font(FONT.regular).fontSize(8).text(`${l.name} · ${en ? categoryInfo(l.category).en : categoryInfo(l.category).zh}`, x + 2 * mm, y + 47.5 * mm, { width: w - 4 * mm, align: 'center', height: 10 * mm, ellipsis: true });
      doc.fontSize(7).fillColor('#555555').text(l.location || '', x + 2 * mm, y + 52 * mm, { width: w - 4 * mm, align: 'center', height: 5 * mm, ellipsis: true });
      doc.fontSize(7).text(en ? 'Scan to report a fault' : '扫码查看设备 / 报修', x + 2 * mm, y + 58 * mm, { width: w - 4 * mm, align: 'center', lineBreak: false });
      doc.fillColor('black');
    });
  });
}
