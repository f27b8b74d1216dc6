/**
 * Server-side messages in zh-CN (default) and English. Keys are stable; `{name}` placeholders are filled from
 * the error's params. Field names are shown as sent (`username`) so API users can find them.
 */
export const messages = {
  'validation.invalid': { zh: '字段 {field} 的值无效', en: 'Field {field} is invalid' },
  'validation.required': { zh: '字段 {field} 必填', en: 'Field {field} is required' },
  'validation.type': { zh: '字段 {field} 类型错误，应为 {expected}', en: 'Field {field} must be a {expected}' },
  'validation.tooShort': { zh: '字段 {field} 太短（至少 {min}）', en: 'Field {field} is too short (at least {min})' },
  'validation.tooLong': { zh: '字段 {field} 太长（至多 {max}）', en: 'Field {field} is too long (at most {max})' },
  'validation.format': { zh: '字段 {field} 格式不正确', en: 'Field {field} has the wrong format' },
  'validation.enum': { zh: '字段 {field} 必须是以下之一：{options}', en: 'Field {field} must be one of: {options}' },
  'validation.unknownField': { zh: '不认识的字段 {field}', en: 'Unknown field {field}' },
  'validation.phone': { zh: '字段 {field} 不是有效的手机号', en: 'Field {field} is not a valid mobile number' },
  'validation.password': {
    zh: '字段 {field}：密码至少 8 位，且须同时包含字母和数字',
    en: 'Field {field}: a password needs at least 8 characters with letters and digits',
  },
  'validation.samePassword': { zh: '字段 {field}：新密码不能与当前密码相同', en: 'Field {field}: the new password must differ from the current one' },
  'validation.unknownIds': { zh: '字段 {field} 含有不存在的编号', en: 'Field {field} refers to records that do not exist' },
  'validation.unknownPermission': { zh: '字段 {field} 含有未知权限 {permission}', en: 'Field {field} has an unknown permission {permission}' },
  'validation.fileType': { zh: '文件类型 {type} 不允许', en: 'File type {type} is not allowed' },
  'validation.fileTooLarge': { zh: '文件超过 {max} 字节', en: 'The file is larger than {max} bytes' },
  'validation.fileMissing': { zh: '请求中没有文件（字段 file）', en: 'No file in the request (field file)' },
  'validation.companyRequired': {
    zh: '该手机号在多个物业公司登记，请选择公司（字段 companyId）',
    en: 'This number is registered with several companies; choose one (field companyId)',
  },
  'validation.areaNotPositive': { zh: '字段 {field}：面积必须大于 0', en: 'Field {field}: the area must be greater than 0' },
  'validation.areaDecimals': { zh: '字段 {field}：面积最多两位小数', en: 'Field {field}: at most two decimals' },
  'validation.areaAbsurd': { zh: '字段 {field}：面积 {value} ㎡ 不合理，请检查', en: 'Field {field}: an area of {value} m² is implausible' },
  'validation.areaFormat': { zh: '字段 {field}：面积应为数字', en: 'Field {field}: the area must be a number' },
  'validation.innerArea': { zh: '字段 innerArea：套内面积不能大于建筑面积', en: 'Field innerArea: the inner area cannot exceed the built area' },
  'validation.floorRange': { zh: '字段 {field}：楼层 {floor} 超出该楼栋的层数', en: 'Field {field}: floor {floor} is outside the building' },
  'validation.roomNumber': { zh: '字段 {field}：房号只能包含数字、字母、汉字和 -', en: 'Field {field}: a room number may hold digits, letters, Chinese characters and -' },
  'validation.idNumber': { zh: '字段 {field}：身份证号无效（{reason}）', en: 'Field {field}: invalid identity number ({reason})' },
  'validation.plate': { zh: '字段 {field}：车牌号格式不正确', en: 'Field {field}: not a valid plate number' },
  'validation.dateOrder': { zh: '字段 {field}：结束日期不能早于开始日期', en: 'Field {field}: the end date is before the start date' },
  'validation.xlsx': { zh: '文件不是有效的 .xlsx 表格', en: 'The file is not a valid .xlsx workbook' },
  'validation.tooManyRows': { zh: '表格最多 {max} 行', en: 'A sheet may have at most {max} rows' },
  'conflict.duplicate': {
    zh: '字段 {field} 的值刚被占用（可能有人同时提交了相同的数据），请刷新后重试',
    en: 'Field {field}: this value was just taken (perhaps by a simultaneous request); refresh and try again',
  },
  'conflict.roomNumber': { zh: '房号 {number} 已存在', en: 'Room {number} already exists' },
  'conflict.buildingName': { zh: '楼栋 {name} 已存在', en: 'Building {name} already exists' },
  'conflict.unitName': { zh: '单元 {name} 已存在', en: 'Unit {name} already exists' },
  'conflict.parkingNumber': { zh: '车位号 {number} 已存在', en: 'Parking space {number} already exists' },
  'conflict.parkingHeld': { zh: '车位 {number} 在该期间已出售或出租', en: 'Parking space {number} is already sold or rented for that period' },
  'conflict.zoneName': { zh: '名称 {name} 已存在', en: '{name} already exists' },
  'conflict.roomStatus': { zh: '房屋状态不能从“{from}”改为“{to}”', en: 'A room cannot go from {from} to {to}' },
  'conflict.residentPhone': { zh: '手机号 {phone} 已登记为住户 {name}', en: 'Phone {phone} already belongs to resident {name}' },
  'conflict.residentIdNumber': { zh: '证件号已登记为其他住户', en: 'This document number belongs to another resident' },
  'conflict.ownerShare': { zh: '该房屋现有业主份额合计已满 100%，不能再登记业主', en: 'The current owners already hold 100 % of this room' },
  'conflict.alreadyLinked': { zh: '该住户已关联此房屋', en: 'This resident is already linked to the room' },
  'conflict.noCurrentLink': { zh: '该住户与房屋没有当前关联', en: 'The resident has no current link to this room' },
  'conflict.plate': { zh: '车牌 {plate} 已登记', en: 'Plate {plate} is already registered' },
  'conflict.moveInOpen': { zh: '该房屋已有进行中的入住办理', en: 'A move-in is already open for this room' },
  'conflict.moveInState': { zh: '入住办理当前状态为“{status}”，不能执行此操作', en: 'The move-in is {status}; this step is not possible now' },
  'conflict.requestDecided': { zh: '该申请已处理', en: 'This request has already been decided' },
  'conflict.importState': { zh: '导入任务当前状态为 {status}，不能执行此操作', en: 'The import is {status}; this step is not possible now' },
  'validation.future': { zh: '字段 {field}：时间不能晚于现在', en: 'Field {field}: the time cannot be in the future' },
  'validation.locationRequired': { zh: '字段 roomId：请选择房屋或填写公共位置（location）', en: 'Field roomId: give a room or a public location (location)' },
  'validation.roomRequired': { zh: '字段 roomId：户内维修必须选择房屋', en: 'Field roomId: an in-home repair needs a room' },
  'validation.categoryKind': { zh: '字段 categoryId：该类别不属于“{kind}”或已停用', en: 'Field categoryId: this category is not an active one of kind {kind}' },
  'validation.notImage': { zh: '字段 {field}：只能附加图片', en: 'Field {field}: only images can be attached' },
  'validation.otherCommunity': { zh: '字段 {field}：不属于该小区', en: 'Field {field}: belongs to another community' },
  'validation.notAssignable': { zh: '字段 {field}：该员工不能处理此小区的工单', en: 'Field {field}: this person cannot work on tickets of this community' },
  'validation.dispatchTarget': { zh: '字段 assigneeId：请指定处理人、抢单组或轮派组之一', en: 'Field assigneeId: give exactly one of assigneeId, poolGroupId, roundRobinGroupId' },
  'validation.emptyGroup': { zh: '字段 {field}：该组没有成员', en: 'Field {field}: the group has no members' },
  'validation.dueBefore': { zh: '字段 dueAt：新的时限必须晚于现有时限', en: 'Field dueAt: the new deadline must be later than the current one' },
  'validation.noClock': { zh: '字段 clock：此工单没有“{clock}”时限', en: 'Field clock: this ticket has no {clock} clock' },
  'validation.beforeTicket': { zh: '字段 {field}：时间早于工单的上一步', en: 'Field {field}: the time is before the ticket\'s previous step' },
  'conflict.ticketState': { zh: '工单当前状态为“{status}”，不能执行“{action}”', en: 'The ticket is {status}; {action} is not possible now' },
  'conflict.ticketTaken': { zh: '手慢了，该工单已被他人接走', en: 'Too late: someone else has already taken this ticket' },
  'conflict.notInPool': { zh: '该工单不在抢单池中', en: 'This ticket is not in the grab pool' },
  'conflict.approvalPending': { zh: '中修/大修须经业委会批准后才能开工', en: "A medium or major repair needs the owners' committee's approval before work starts" },
  'conflict.approvalNotPending': { zh: '该工单当前没有待审批的事项', en: 'This ticket has nothing awaiting approval' },
  'conflict.alreadyVoted': { zh: '您已就此工单表决', en: 'You have already voted on this ticket' },
  'conflict.visitDone': { zh: '该回访已完成', en: 'This return visit is already recorded' },
  'conflict.notRateable': { zh: '工单尚未完成，不能评价', en: 'The ticket is not completed yet and cannot be rated' },
  'sms.ticketReceived': { zh: '【安居】您的报事（{no}）已受理：{title}。我们会尽快处理。', en: '[Anju] Your request {no} has been received: {title}.' },
  'sms.ticketDispatched': { zh: '【安居】您的报事（{no}）已派给 {name}，请保持电话畅通。', en: '[Anju] Your request {no} is assigned to {name}; please keep your phone on.' },
  'sms.ticketCompleted': { zh: '【安居】您的报事（{no}）已处理完成，请在“我的报事”中确认并评价。', en: '[Anju] Your request {no} is done; please confirm and rate it under My requests.' },
  'sms.ticketCancelled': { zh: '【安居】您的报事（{no}）已取消：{reason}', en: '[Anju] Your request {no} was cancelled: {reason}' },
  'auth.required': { zh: '请先登录', en: 'Please log in first' },
  'auth.sessionExpired': { zh: '登录已过期，请重新登录', en: 'Your session has expired; please log in again' },
  'auth.badCredentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.badCode': { zh: '验证码错误或已过期', en: 'The code is wrong or has expired' },
  'auth.disabled': { zh: '账号已停用', en: 'This account is disabled' },
  'auth.forbidden': { zh: '没有权限执行此操作（{permission}）', en: 'You are not allowed to do this ({permission})' },
  'auth.csrf': { zh: '缺少或错误的 CSRF 令牌（请求头 x-csrf-token）', en: 'Missing or wrong CSRF token (header x-csrf-token)' },
  'auth.rateLimited': { zh: '尝试次数过多，请 {seconds} 秒后再试', en: 'Too many attempts; try again in {seconds} seconds' },
  'auth.wrongPassword': { zh: '字段 currentPassword：当前密码不正确', en: 'Field currentPassword: the current password is wrong' },
  notFound: { zh: '{entity} 不存在', en: '{entity} not found' },
  'conflict.username': { zh: '用户名 {username} 已被使用', en: 'Username {username} is already taken' },
  'conflict.roleName': { zh: '角色名称 {name} 已存在', en: 'A role named {name} already exists' },
  'conflict.roleInUse': { zh: '角色仍分配给 {count} 个账号，不能删除', en: 'The role is still assigned to {count} accounts' },
  'conflict.builtinRole': { zh: '内置角色不能删除，可以复制后修改', en: 'Built-in roles cannot be deleted; copy one instead' },
  'conflict.companyCode': { zh: '公司编码 {code} 已存在', en: 'Company code {code} already exists' },
  'conflict.communityName': { zh: '小区 {name} 已存在', en: 'Community {name} already exists' },
  'conflict.communityCode': { zh: '小区编号 {code} 已存在', en: 'Community code {code} already exists' },
  'conflict.ownerPhone': { zh: '手机号 {phone} 已登记为业主账号', en: 'Phone {phone} already has an owner account' },
  'conflict.selfDisable': { zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  'conflict.lastAdmin': { zh: '至少保留一名启用的系统管理员', en: 'At least one active administrator must remain' },
  'sms.otp': { zh: '【安居】您的登录验证码是 {code}，{minutes} 分钟内有效。', en: '[Anju] Your login code is {code}, valid for {minutes} minutes.' },
  'sms.staffPassword': {
    zh: '【安居】{name}，您的账号 {username} 的临时密码是 {password}，请登录后修改。',
    en: '[Anju] {name}, the temporary password for {username} is {password}; please change it after logging in.',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type MessageKey = keyof typeof messages;
export type Lang = 'zh-CN' | 'en';

export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  // The first language the client names decides; anything English-like gets English.
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  const template = lang === 'en' ? entry.en : entry.zh;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
