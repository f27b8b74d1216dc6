import QRCode from 'qrcode';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { FONT, renderPdf } from '../../core/pdf.ts';
import { signCode } from '../../core/signed-codes.ts';
import { loadCommunity, loadScoped, selectCheckpoints } from './repo.ts';
import type { Checkpoint } from './schema.ts';

/**
 * Printed checkpoint labels. The QR holds a URL to the phone's scan page, `<origin>/m/patrol/scan/<code>`, with the
 * code signed by the company's key: a phone's camera app opens it directly, and a copied or forged label is refused.
 */

type D = Pick<Deps, 'db' | 'config'>;

/** The address labels point to: ANJU_PUBLIC_URL when set (the address phones reach), else the request's origin. */
export const baseUrl = (deps: Pick<Deps, 'config'>, origin: string) => deps.config.payments.publicUrl || origin;

export async function codeOf(deps: D, ctx: RequestContext, checkpointId: string, origin: string) {
  requirePermission(ctx.actor, 'patrol.manage');
  await loadScoped(deps.db, ctx.actor, 'patrol_checkpoints', checkpointId, 'checkpoint');
  const code = await signCode(deps.db, companyOf(ctx.actor), 'cp', checkpointId);
  return { code, url: `${baseUrl(deps, origin)}/m/patrol/scan/${code}` };
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One label: PNG (the QR alone, for pasting into other layouts) or SVG (QR with number, name and community). */
export async function labelImage(deps: D, ctx: RequestContext, checkpointId: string, format: 'png' | 'svg', origin: string): Promise<{ type: string; body: Buffer | string }> {
  const { url } = await codeOf(deps, ctx, checkpointId, origin);
  if (format === 'png') return { type: 'image/png', body: await QRCode.toBuffer(url, { type: 'png', width: 480, margin: 2, errorCorrectionLevel: 'M' }) };
  const [cp] = await selectCheckpoints(deps.db, companyOf(ctx.actor), { ids: [checkpointId] });
  const qr = await QRCode.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const inner = qr.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
  const viewBox = /viewBox="([^"]+)"/.exec(qr)?.[1] ?? '0 0 33 33';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="380" viewBox="0 0 300 380">
  <rect width="300" height="380" fill="#fff" stroke="#333" stroke-width="2"/>
  <svg x="30" y="20" width="240" height="240" viewBox="${viewBox}">${inner}</svg>
  <text x="150" y="296" font-size="22" font-weight="bold" text-anchor="middle" font-family="'Noto Sans SC','PingFang SC',sans-serif">${escapeXml(`${cp.no}. ${cp.name}`)}</text>
  <text x="150" y="326" font-size="15" text-anchor="middle" font-family="'Noto Sans SC','PingFang SC',sans-serif">${escapeXml(cp.communityName)}</text>
  <text x="150" y="352" font-size="13" fill="#555" text-anchor="middle" font-family="'Noto Sans SC','PingFang SC',sans-serif">${escapeXml(cp.location.slice(0, 30))}</text>
</svg>`;
  return { type: 'image/svg+xml', body: svg };
}

/** A sheet of labels, 3 × 4 per A4 page: QR, number and name, community, location; cut along the frames. */
export async function labelSheet(deps: D, ctx: RequestContext, q: { communityId: string; ids?: string }, origin: string): Promise<{ pdf: Buffer; name: string }> {
  requirePermission(ctx.actor, 'patrol.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  const ids = q.ids ? q.ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (ids && ids.some((id) => !/^[0-9a-f-]{36}$/.test(id))) throw new ValidationError('ids', 'validation.format');
  const checkpoints: Checkpoint[] = await selectCheckpoints(deps.db, companyId, { communityId: community.id, ids, active: true });
  if (ids && checkpoints.length !== new Set(ids).size) throw new ValidationError('ids', 'validation.unknownIds');
  const base = baseUrl(deps, origin);
  const images = await Promise.all(
    checkpoints.map(async (cp) => QRCode.toBuffer(`${base}/m/patrol/scan/${await signCode(deps.db, companyId, 'cp', cp.id)}`, { type: 'png', width: 360, margin: 1, errorCorrectionLevel: 'M' })),
  );
  const pdf = await renderPdf({ size: 'A4', margin: 28, title: `巡更点标签 ${community.name}`, lang: ctx.lang }, (doc) => {
    const cols = 3;
    const rows = 4;
    const w = (doc.page.width - 56) / cols;
    const h = (doc.page.height - 56) / rows;
    checkpoints.forEach((cp, i) => {
      const slot = i % (cols * rows);
      if (i > 0 && slot === 0) doc.addPage();
      const x = 28 + (slot % cols) * w;
      const y = 28 + Math.floor(slot / cols) * h;
      doc.save().lineWidth(0.5).dash(3, { space: 3 }).strokeColor('#999').rect(x + 4, y + 4, w - 8, h - 8).stroke().restore();
      const qr = Math.min(w - 40, h - 80);
      doc.image(images[i], x + (w - qr) / 2, y + 12, { width: qr, height: qr });
      doc.font(FONT.bold).fontSize(13).fillColor('#000').text(`${cp.no}. ${cp.name}`, x + 8, y + 16 + qr, { width: w - 16, align: 'center', lineBreak: false, ellipsis: true });
      doc.font(FONT.regular).fontSize(9).fillColor('#333').text(cp.kind === 'inspection' ? `${community.name} · 巡检点` : `${community.name} · 巡更点`, x + 8, y + 34 + qr, { width: w - 16, align: 'center', lineBreak: false, ellipsis: true });
      if (cp.location) doc.fontSize(8).fillColor('#666').text(cp.location, x + 8, y + 48 + qr, { width: w - 16, align: 'center', lineBreak: false, ellipsis: true });
    });
    if (!checkpoints.length) doc.fontSize(12).text(ctx.lang === 'en' ? 'No checkpoints in use.' : '没有在用的巡更点。');
  });
  return { pdf, name: `巡更点标签-${community.name}.pdf` };
}
