import type { equipmentZh } from './zh-CN.ts';

/** English strings of `equipment`, checked against the zh-CN source. */
export const equipmentEn: typeof equipmentZh = {
  title: 'Equipment ledger',
  /** The button on the staff phone desk. */
  entry: 'Equipment maintenance',
  maintenanceTitle: 'Maintenance and inspections',
  categories: {
    lift: 'Lift', transformer: 'Transformer', switchgear: 'Switchgear', pump: 'Pumps / water supply', fire: 'Fire protection', cctv: 'CCTV', access: 'Access control', barrier: 'Barrier gate', lighting: 'Lighting', lightning: 'Lightning protection', boiler: 'Boiler / heat station', septic: 'Septic tank', playground: 'Playground / fitness', other: 'Other',
  },
  statuses: { normal: 'Normal', fault: 'Fault', stopped: 'Stopped' },
  cycles: { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', quarterly: 'Quarterly', halfYearly: 'Half-yearly', yearly: 'Yearly', everyNDays: 'Every N days', everyNMonths: 'Every N months', everyNYears: 'Every N years' },
  cycleText: { daily: 'every {{n}} day(s)', weekly: 'every {{n}} week(s)', monthly: 'every {{n}} month(s)', quarterly: 'every {{n}} quarter(s)', halfYearly: 'every {{n}} half-year(s)', yearly: 'every {{n}} year(s)', everyNDays: 'every {{n}} days', everyNMonths: 'every {{n}} months', everyNYears: 'every {{n}} years' },
  taskStatuses: { open: 'Open', done: 'Done', skipped: 'Skipped' },
  results: { passed: 'Passed', conditional: 'Passed after fixes', failed: 'Failed' },
  sources: { report: 'Reported', task: 'Found in maintenance' },
  fields: {
    community: 'Community', code: 'Code', name: 'Name', category: 'Category', location: 'Location', building: 'Building', model: 'Model', serialNo: 'Serial no.', manufacturer: 'Manufacturer', madeOn: 'Made on', installedOn: 'Installed on',
    specs: 'Key specs', vendor: 'Vendor', contractor: 'Maintenance contractor', contractorPhone: 'Contractor phone', responsible: 'Responsible', status: 'Status', note: 'Note', nextInspection: 'Next inspection', tasks: 'Tasks', search: 'Code, name, location, model',
    reason: 'Reason', description: 'What is wrong', urgency: 'Urgency', urgent: 'Urgent', normal: 'Normal',
  },
  ledger: {
    add: 'Add equipment', export: 'Export Excel', labels: 'Print labels', total: '{{n}} items', overdue: '{{n}} overdue', open: '{{n}} open', created: 'Added {{code}}',
  },
  detail: {
    tabs: { info: 'Details', history: 'Status history', maintenance: 'Maintenance', inspections: 'Inspections', faults: 'Faults' },
    changeStatus: 'Change status', reportFault: 'Report fault', label: 'Equipment label', labelHint: 'Scan to open the equipment page (after login)', downloadPng: 'Download PNG', downloadSvg: 'Download SVG',
    statusChanged: 'Status updated', faultReported: 'Fault reported, ticket {{no}}', nameplate: 'Nameplate', people: 'Companies and people', attachments: 'Attachments', noHistory: 'Nothing yet', ticketNo: 'Ticket', by: 'By', at: 'When',
    from: 'From', to: 'To', addInspection: 'Add statutory inspection', record: 'Record inspection', inspectedOn: 'Inspected on', certificateNo: 'Certificate / report no.', result: 'Result', agency: 'Agency', nextDueOn: 'Next due', cycleMonths: 'Cycle (months)',
    daysLeft: '{{n}} days left', overdueDays: '{{n}} days overdue', recorded: 'Recorded', kind: 'Inspection', records: 'Records', plans: 'Maintenance plans', recentTasks: 'Maintenance tasks',
  },
  maintenance: {
    intactRate: 'Intact rate', intactHint: 'normal ÷ in service (stopped excluded)', openTasks: 'Open tasks', overdueTasks: 'Overdue tasks', doneMonth: 'Done this month', within30: 'Inspections due in 30 days', within60: 'Due in 60 days', overdueInspections: 'Overdue inspections',
    byCategory: 'Intact rate by category', faultsByMonth: 'Faults per month', plans: 'Maintenance plans', tasks: 'Maintenance tasks', inspections: 'Statutory inspections', addPlan: 'New plan', generate: 'Generate tasks now', generated: '{{n}} tasks generated',
    scope: 'Scope', oneItem: 'One item', wholeCategory: 'A whole category', template: 'Start from a default', cycle: 'Cycle', interval: 'N', startOn: 'Starts on', endOn: 'Ends on', leadDays: 'Generate ahead (days)', assignee: 'Assignee', assigneeHint: 'Left empty, each item’s responsible person does it', checklist: 'Checklist',
    addItem: 'Add item', itemLabel: 'Check', itemKind: 'Type', kinds: { check: 'Yes/no', number: 'Number', text: 'Text' }, min: 'Min', max: 'Max', unit: 'Unit', nextDue: 'Next', active: 'Active', paused: 'Paused', pause: 'Pause', resume: 'Resume',
    views: { open: 'Open', overdue: 'Overdue', done: 'Done', all: 'All' }, due: 'Due', doneBy: 'Done by', abnormal: 'Abnormal', planCreated: 'Plan created', planName: 'Plan name', within: 'within {{n}} days',
    count: 'Items', faults: 'Faults',
  },
  mobile: {
    myTasks: 'My maintenance', today: 'Today', noTasks: 'No maintenance tasks', overdue: 'Overdue', dueOn: 'due {{date}}', doTask: 'Record maintenance', answerYes: 'OK', answerNo: 'Abnormal', value: 'Reading',
    note: 'Note (optional)', photos: 'Photos', addPhoto: 'Take photo', submit: 'Submit', submitted: 'Maintenance recorded', abnormalTicket: 'Abnormal: repair ticket {{no}} filed', range: 'normal range {{range}}',
    scanTitle: 'Scan', scanning: 'Looking up the equipment…', scanFailed: 'This label is not recognised: it may be forged or belong to another company.', back: 'Back',
    report: 'Report fault', reportTitle: 'Report a fault', reportHint: 'A public repair ticket is filed and the item is marked as faulty.', reported: 'Reported, ticket {{no}}', setNormal: 'Back to normal', setNormalReason: 'What was done',
    recentTasks: 'Recent maintenance', inspections: 'Statutory inspections', tickets: 'Faults and repairs', history: 'Status history', info: 'Details', scanHint: 'Scan the QR label on a piece of equipment to see it and report a fault.', allAnswered: 'Answer every item',
  },
};
