/** equipment strings, zh-CN (the source); merged into the app's dictionary as `equipment`. */
export const equipmentZh = {
  title: '设备台账',
  /** The button on the staff phone desk. */
  entry: '设备维保',
  maintenanceTitle: '维保与检验',
  categories: {
    lift: '电梯', transformer: '变压器', switchgear: '高低压配电', pump: '水泵/二次供水', fire: '消防', cctv: '监控', access: '门禁/对讲', barrier: '道闸', lighting: '照明', lightning: '避雷', boiler: '锅炉/换热站', septic: '化粪池', playground: '游乐健身设施', other: '其他',
  },
  statuses: { normal: '正常', fault: '故障', stopped: '停用' },
  cycles: { daily: '每天', weekly: '每周', monthly: '每月', quarterly: '每季度', halfYearly: '每半年', yearly: '每年', everyNDays: '每 N 天', everyNMonths: '每 N 个月', everyNYears: '每 N 年' },
  cycleText: { daily: '每 {{n}} 天', weekly: '每 {{n}} 周', monthly: '每 {{n}} 个月', quarterly: '每 {{n}} 季度', halfYearly: '每 {{n}} 个半年', yearly: '每 {{n}} 年', everyNDays: '每 {{n}} 天', everyNMonths: '每 {{n}} 个月', everyNYears: '每 {{n}} 年' },
  taskStatuses: { open: '待完成', done: '已完成', skipped: '已跳过' },
  results: { passed: '合格', conditional: '整改后合格', failed: '不合格' },
  sources: { report: '报修', task: '维保发现' },
  fields: {
    community: '小区', code: '设备编号', name: '设备名称', category: '类别', location: '位置', building: '楼栋', model: '型号', serialNo: '出厂编号', manufacturer: '制造商', madeOn: '出厂日期', installedOn: '安装日期',
    specs: '主要参数', vendor: '供应商', contractor: '维保单位', contractorPhone: '维保电话', responsible: '责任人', status: '状态', note: '备注', nextInspection: '下次法定检验', tasks: '维保任务', search: '编号、名称、位置、型号',
    reason: '原因', description: '故障描述', urgency: '紧急程度', urgent: '紧急', normal: '一般',
  },
  ledger: {
    add: '新增设备', export: '导出 Excel', labels: '打印标识牌', total: '共 {{n}} 台', overdue: '逾期 {{n}}', open: '待办 {{n}}', created: '已添加设备 {{code}}',
  },
  detail: {
    tabs: { info: '基本信息', history: '状态记录', maintenance: '维保', inspections: '法定检验', faults: '故障报修' },
    changeStatus: '变更状态', reportFault: '报修', label: '设备标识牌', labelHint: '扫码打开设备页面（需登录）', downloadPng: '下载 PNG', downloadSvg: '下载 SVG',
    statusChanged: '状态已更新', faultReported: '已报修，工单 {{no}}', nameplate: '铭牌', people: '单位与人员', attachments: '附件', noHistory: '暂无记录', ticketNo: '工单', by: '操作人', at: '时间',
    from: '原状态', to: '新状态', addInspection: '添加法定检验', record: '登记检验', inspectedOn: '检验日期', certificateNo: '证书/报告编号', result: '结果', agency: '检验机构', nextDueOn: '下次到期', cycleMonths: '周期（月）',
    daysLeft: '剩余 {{n}} 天', overdueDays: '已逾期 {{n}} 天', recorded: '已登记', kind: '检验项目', records: '检验记录', plans: '维保计划', recentTasks: '维保任务',
  },
  maintenance: {
    intactRate: '设备完好率', intactHint: '正常 ÷ 在用（停用不计）', openTasks: '待完成维保', overdueTasks: '逾期维保', doneMonth: '本月完成', within30: '30 天内到期检验', within60: '60 天内到期', overdueInspections: '已逾期检验',
    byCategory: '各类设备完好率', faultsByMonth: '每月故障数', plans: '维保计划', tasks: '维保任务', inspections: '法定检验', addPlan: '新建维保计划', generate: '立即生成任务', generated: '已生成 {{n}} 个任务',
    scope: '范围', oneItem: '单台设备', wholeCategory: '整类设备', template: '参照默认标准', cycle: '周期', interval: 'N', startOn: '起始日期', endOn: '结束日期', leadDays: '提前生成（天）', assignee: '执行人', assigneeHint: '不填则由各设备的责任人执行', checklist: '检查项',
    addItem: '添加检查项', itemLabel: '检查内容', itemKind: '类型', kinds: { check: '是/否', number: '数值', text: '文字' }, min: '下限', max: '上限', unit: '单位', nextDue: '下次', active: '启用', paused: '已暂停', pause: '暂停', resume: '启用',
    views: { open: '待完成', overdue: '逾期', done: '已完成', all: '全部' }, due: '到期日', doneBy: '完成人', abnormal: '异常', planCreated: '已创建维保计划', planName: '计划名称', within: '{{n}} 天内',
    count: '台数', faults: '故障',
  },
  mobile: {
    myTasks: '我的维保', today: '今天', noTasks: '暂无待办维保任务', overdue: '逾期', dueOn: '{{date}} 到期', doTask: '填写维保记录', answerYes: '正常', answerNo: '异常', value: '读数',
    note: '备注（选填）', photos: '照片', addPhoto: '拍照', submit: '提交', submitted: '维保记录已提交', abnormalTicket: '发现异常，已生成报修工单 {{no}}', range: '正常范围 {{range}}',
    scanTitle: '扫码', scanning: '正在识别设备…', scanFailed: '无法识别此标识牌：可能是伪造的标识，或不属于本公司。', back: '返回',
    report: '报修', reportTitle: '设备报修', reportHint: '将生成一张公共报修工单，设备状态改为故障。', reported: '已报修，工单 {{no}}', setNormal: '恢复正常', setNormalReason: '恢复说明',
    recentTasks: '最近维保', inspections: '法定检验', tickets: '故障与报修', history: '状态记录', info: '设备信息', scanHint: '用手机扫描设备上的二维码标识牌，即可查看设备并报修。', allAnswered: '请填写所有检查项',
  },
};
