import ExcelJS from 'exceljs';
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../core/context.ts';
import { categoryInfo } from './catalogue.ts';
import { allEquipment } from './ledger.ts';
import type { EquipmentQuery } from './schema.ts';

const STATUS_LABELS = { normal: { zh: '正常', en: 'Normal' }, fault: { zh: '故障', en: 'Fault' }, stopped: { zh: '停用', en: 'Stopped' } } as const;

/** 设备台账.xlsx: every item matching the list's filters, with its nameplate and people. */
export async function equipmentXlsx(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: Omit<EquipmentQuery, 'page' | 'pageSize'>) {
  const rows = await allEquipment(deps, ctx, q);
  const en = ctx.lang === 'en';
  const T = (zh: string, english: string) => (en ? english : zh);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  const ws = wb.addWorksheet(T('设备台账', 'Equipment'), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: T('小区', 'Community'), width: 14 },
    { header: T('设备编号', 'Code'), width: 16 },
    { header: T('设备名称', 'Name'), width: 24 },
    { header: T('类别', 'Category'), width: 14 },
    { header: T('位置', 'Location'), width: 24 },
    { header: T('状态', 'Status'), width: 8 },
    { header: T('型号', 'Model'), width: 16 },
    { header: T('出厂编号', 'Serial no.'), width: 16 },
    { header: T('制造商', 'Manufacturer'), width: 18 },
    { header: T('出厂日期', 'Made on'), width: 12 },
    { header: T('安装日期', 'Installed on'), width: 12 },
    { header: T('主要参数', 'Key specs'), width: 30 },
    { header: T('供应商', 'Vendor'), width: 18 },
    { header: T('维保单位', 'Contractor'), width: 18 },
    { header: T('维保电话', 'Contractor phone'), width: 14 },
    { header: T('责任人', 'Responsible'), width: 10 },
    { header: T('下次法定检验', 'Next inspection'), width: 14 },
    { header: T('逾期维保', 'Overdue tasks'), width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const cat = categoryInfo(r.category);
    ws.addRow([
      r.communityName, r.code, r.name, en ? cat.en : cat.zh, [r.building?.name, r.location].filter(Boolean).join(' '), STATUS_LABELS[r.status][en ? 'en' : 'zh'], r.model ?? '', r.serialNo ?? '',
      r.manufacturer ?? '', r.madeOn ?? '', r.installedOn ?? '', r.specs.map((s) => `${s.label}: ${s.value}`).join('; '), r.vendor ?? '', r.contractorName ?? '', r.contractorPhone ?? '',
      r.responsible?.name ?? '', r.nextInspectionOn ?? '', r.overdueTasks,
    ]);
  }
  return {
    fileName: en ? 'equipment.xlsx' : '设备台账.xlsx',
    asciiName: 'equipment.xlsx',
    data: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}
