// Every visible string, in Chinese and English. Elements carry
// data-i18n="key" (text) or data-i18n-placeholder="key".

const STRINGS = {
  'app.title': ['二维码跳转规则管理', 'QR Jump Admin'],
  'tab.delete': ['删除规则', 'Delete rule'],
  'tab.history': ['历史记录', 'History'],
  'tab.accounts': ['账号', 'Accounts'],
  'tab.about': ['关于', 'About'],
  'account.current': ['账号', 'Account'],
  'demo.banner': ['演示账号：连接的是本机内置的模拟器，不会改动任何真实的微信数据。', 'Demo account: connected to a simulator inside this app. No real WeChat data is touched.'],
  'demo.tag': ['演示', 'Demo'],
  'keyring.none': ['本机没有可用的系统凭据存储：AppSecret 只在本次运行中保留，关闭应用后需重新填写。', 'No system credential store is available: AppSecrets are kept for this session only and must be entered again after closing the app.'],
  'delete.title': ['删除二维码跳转规则', 'Delete a QR code jump rule'],
  'delete.mode': ['模式', 'Mode'],
  'mode.ordinary': ['普通二维码', 'Ordinary QR code'],
  'mode.service_account': ['服务号二维码', 'Service account QR code'],
  'mode.help.ordinary': ['扫普通链接二维码打开小程序：使用小程序自己的凭据。', 'Scanning an ordinary link QR code opens the Mini Program: uses the Mini Program\'s own credentials.'],
  'mode.help.service_account': ['扫服务号二维码打开小程序：使用已认证服务号的凭据，并填写要打开的小程序 AppID。', 'Scanning a service account\'s QR code opens the Mini Program: uses the verified service account\'s credentials and the Mini Program\'s AppID.'],
  'mode.unavailable': ['该账号类型不支持此模式', 'This account kind cannot use this mode'],
  'field.target_appid': ['小程序 AppID', 'Mini Program AppID'],
  'field.prefix': ['二维码规则（前缀）', 'QR code rule (prefix)'],
  'prefix.help': ['可直接输入，或在“当前规则”列表中点选。', 'Type it, or pick it from the Current rules list.'],
  'delete.button': ['删除规则…', 'Delete rule…'],
  'delete.busy': ['正在删除…', 'Deleting…'],
  'result.ok': ['已删除', 'Deleted'],
  'result.failed': ['未删除', 'Not deleted'],
  'result.unknown': ['结果未知', 'Outcome unknown'],
  'result.record': ['已记入历史记录 #{id}', 'Recorded in the history as #{id}'],
  'result.none': ['（无）', '(none)'],
  'rules.title': ['当前规则', 'Current rules'],
  'rules.refresh': ['刷新列表', 'Refresh'],
  'rules.search': ['搜索前缀或页面路径', 'Search prefix or page path'],
  'rules.prefix': ['前缀', 'Prefix'],
  'rules.path': ['页面路径', 'Page path'],
  'rules.state': ['状态', 'State'],
  'rules.range': ['测试范围', 'Test range'],
  'rules.loading': ['正在读取规则…', 'Loading rules…'],
  'rules.count': ['共 {n} 条规则，点击一行即可选中。', '{n} rule(s). Click a row to pick it.'],
  'rules.count.quota': ['共 {n} 条规则，本月还可发布 {q} 次。点击一行即可选中。', '{n} rule(s), {q} publish(es) left this month. Click a row to pick it.'],
  'rules.need_appid': ['请先填写小程序 AppID，再刷新列表。', 'Enter the Mini Program AppID, then refresh.'],
  'state.1': ['未发布', 'Unpublished'],
  'state.2': ['已发布', 'Published'],
  'range.1': ['开发版', 'Development'],
  'range.2': ['体验版', 'Trial'],
  'range.3': ['线上版', 'Release'],
  'confirm.title': ['确认删除这条规则？', 'Delete this rule?'],
  'confirm.warning': ['删除后，已印刷的、使用该前缀的二维码将不再打开小程序。', 'Once deleted, printed QR codes with this prefix will no longer open the Mini Program.'],
  'confirm.cancel': ['取消', 'Cancel'],
  'confirm.ok': ['确认删除', 'Delete'],
  'confirm.unknown_rule': ['（规则列表中未找到此前缀）', '(this prefix is not in the rule list)'],
  'history.title': ['历史记录', 'History'],
  'history.verify': ['检查完整性', 'Check integrity'],
  'history.export': ['导出 CSV', 'Export CSV'],
  'history.time': ['时间', 'Time'],
  'history.account': ['账号', 'Account'],
  'history.mode': ['模式', 'Mode'],
  'history.prefix': ['前缀', 'Prefix'],
  'history.outcome': ['结果', 'Outcome'],
  'history.empty': ['没有符合条件的记录。', 'No records match.'],
  'history.newer': ['← 较新', '← Newer'],
  'history.older': ['较早 →', 'Older →'],
  'history.page': ['第 {n} 页', 'Page {n}'],
  'history.exported': ['已导出 {n} 条记录到 {path}。同时保存了清单 {manifest}：请另存一份，日后可用“对照导出检查”证明此后没有记录被改动或删除。', 'Exported {n} record(s) to {path}. Its manifest {manifest} was saved too: keep a copy elsewhere, and “Check against an export” can later prove no record was changed or removed since.'],
  'history.verify_against': ['对照导出检查…', 'Check against an export…'],
  'history.truncated': ['完整性检查失败：导出时有 {expected} 条已完成的记录，现在只剩 {found} 条——最新的记录在本应用之外被删除了。', 'Integrity check FAILED: the export saw {expected} completed records and only {found} remain, so the newest were removed outside this app.'],
  'history.anchor_intact': ['对照 {time} 的导出检查通过：当时的 {n} 条记录都还在，且未被改动。', 'Checked against the export of {time}: all {n} records it saw are still there, unchanged.'],
  'history.csv.matches': ['导出的 CSV 与清单一致。', 'The exported CSV matches its manifest.'],
  'history.csv.differs': ['导出的 CSV 在导出后被修改过（SHA-256 不符）。', 'The exported CSV was changed after the export (its SHA-256 differs).'],
  'history.csv.missing': ['清单旁没有找到导出的 CSV，未检查该文件。', 'The exported CSV is not beside the manifest, so it was not checked.'],
  'readonly.banner': ['历史记录文件夹无法写入（只读磁盘或没有权限）：可以查看、检查和导出历史记录，但不能删除规则，因为无法记录。', 'The history folder cannot be written (a read-only disk or no permission): you can review, check and export the history, but not delete rules, because nothing could be recorded.'],
  'history.intact': ['完整性检查通过：{n} 条已完成的记录均未被改动或删除。', 'Integrity check passed: none of the {n} completed records was changed or removed.'],
  'history.altered': ['完整性检查失败：第 {id} 条记录在本应用之外被修改过。', 'Integrity check FAILED: record {id} was changed outside this app.'],
  'history.removed': ['完整性检查失败：第 {id} 条记录之后有记录在本应用之外被删除。', 'Integrity check FAILED: a record after record {id} was removed outside this app.'],
  'filter.from': ['开始日期', 'From'],
  'filter.to': ['结束日期', 'To'],
  'filter.status': ['结果', 'Outcome'],
  'filter.mode': ['模式', 'Mode'],
  'filter.account': ['账号', 'Account'],
  'filter.text': ['搜索', 'Search'],
  'filter.text.placeholder': ['前缀、小程序 AppID 或 errmsg', 'Prefix, Mini Program AppID or errmsg'],
  'filter.any': ['全部', 'All'],
  'filter.apply': ['筛选', 'Apply'],
  'filter.reset': ['重置', 'Reset'],
  'status.ok': ['成功', 'Succeeded'],
  'status.failed': ['失败', 'Failed'],
  'status.unknown': ['结果未知', 'Unknown'],
  'status.pending': ['进行中', 'In progress'],
  'detail.title': ['记录 #{id}', 'Record #{id}'],
  'detail.snapshot': ['删除前的规则', 'The rule before deletion'],
  'detail.no_snapshot': ['（删除前未能读取到该规则）', '(the rule could not be read before the delete)'],
  'detail.close': ['关闭', 'Close'],
  'detail.started': ['开始时间', 'Started'],
  'detail.finished': ['结束时间', 'Finished'],
  'detail.caller': ['调用的 AppID', 'Calling AppID'],
  'detail.target': ['小程序 AppID', 'Mini Program AppID'],
  'detail.explanation': ['说明', 'Explanation'],
  'detail.kind': ['错误类型', 'Error kind'],
  'detail.duration': ['耗时', 'Duration'],
  'detail.operator': ['操作人', 'Operator'],
  'detail.version': ['应用版本', 'App version'],
  'detail.hash': ['校验哈希', 'Chain hash'],
  'detail.raw': ['原始数据（JSON）', 'Raw data (JSON)'],
  'detail.debug_url': ['测试链接', 'Test links'],
  'detail.sub_rule': ['子路径匹配', 'Sub-path matching'],
  'detail.sub_rule.1': ['允许', 'Allowed'],
  'detail.sub_rule.2': ['不允许', 'Not allowed'],
  'error_kind.input': ['输入有误', 'Bad input'],
  'error_kind.http': ['服务器返回 HTTP 错误', 'HTTP error from the server'],
  'error_kind.not_json': ['服务器的回答无法识别', 'Unreadable answer from the server'],
  'error_kind.timeout': ['等待超时', 'Timed out'],
  'error_kind.connect': ['无法连接服务器', 'Could not connect'],
  'error_kind.network': ['网络中断', 'Network interrupted'],
  'error_kind.token_expired': ['令牌已过期', 'Token expired'],
  'error_kind.interrupted': ['应用在调用中被关闭', 'App closed during the call'],
  'accounts.title': ['账号', 'Accounts'],
  'accounts.add': ['添加账号', 'Add an account'],
  'accounts.edit': ['编辑账号', 'Edit account'],
  'accounts.name': ['名称', 'Name'],
  'accounts.name.placeholder': ['例如：商城小程序', 'e.g. Shop Mini Program'],
  'accounts.kind': ['类型', 'Kind'],
  'kind.mini_program': ['小程序（AppID + AppSecret）', 'Mini Program (AppID + AppSecret)'],
  'kind.service_account': ['服务号（AppID + AppSecret）', 'Service account (AppID + AppSecret)'],
  'kind.access_token': ['直接提供访问令牌', 'Access token given'],
  'accounts.secret.help': ['保存在系统凭据存储中，不会写入任何文件。编辑时留空表示不修改。', 'Kept in the system credential store, never in a file. Leave empty when editing to keep it.'],
  'accounts.secret.help.session': ['本机没有系统凭据存储：只在本次运行中保留，不会写入任何文件。编辑时留空表示不修改。', 'No system credential store here: kept for this session only, never in a file. Leave empty when editing to keep it.'],
  'accounts.secret.session': ['仅在本次运行中保留（本机没有系统凭据存储）。', 'Kept for this session only (no system credential store here).'],
  'accounts.token': ['访问令牌', 'Access token'],
  'accounts.expiry': ['令牌到期时间', 'Token expires at'],
  'accounts.expires': ['令牌到期：{t}', 'Token expires: {t}'],
  'accounts.expired': ['令牌已过期：{t}', 'Token expired: {t}'],
  'accounts.save': ['保存', 'Save'],
  'accounts.cancel': ['取消', 'Cancel'],
  'accounts.test': ['测试连接', 'Test connection'],
  'accounts.testing': ['正在测试…', 'Testing…'],
  'accounts.edit.button': ['编辑', 'Edit'],
  'accounts.remove': ['删除', 'Remove'],
  'accounts.remove.confirm': ['确定要删除账号“{name}”吗？历史记录会保留。', 'Remove the account "{name}"? Its history stays.'],
  'accounts.saved': ['账号“{name}”已保存。', 'Account "{name}" saved.'],
  'accounts.storage.keyring': ['密钥在系统凭据存储中', 'Secret in the system credential store'],
  'accounts.storage.session': ['密钥仅在本次运行中保留', 'Secret kept for this session only'],
  'accounts.storage.missing': ['本次运行中缺少密钥，请编辑后重新填写', 'Secret unknown in this session: edit to enter it'],
  'accounts.demo.note': ['内置模拟器，含十余条示例规则，可体验所有功能。', 'Built-in simulator with a dozen sample rules: try every screen.'],
  'about.title': ['关于', 'About'],
  'about.version': ['版本', 'Version'],
  'about.data': ['数据文件夹', 'Data folder'],
  'about.api': ['API 服务器', 'API server'],
  'about.note': ['每一次删除尝试都会记录在本机的历史记录中；AppSecret 与令牌从不写入历史、导出文件或日志。', 'Every delete attempt is recorded in the local history; AppSecrets and tokens are never written to the history, exports or logs.'],
  'error.unexpected': ['发生了意外错误：{m}', 'Something unexpected happened: {m}'],
};

let current = 'zh-CN';

export function lang() {
  return current;
}

export function setLang(value) {
  current = value === 'zh-CN' ? 'zh-CN' : 'en';
  document.documentElement.lang = current;
  apply(document);
}

/** The text for `key`, with {name} placeholders filled from `values`. */
export function t(key, values = {}) {
  const pair = STRINGS[key];
  let text = pair ? pair[current === 'zh-CN' ? 0 : 1] : key;
  for (const [name, value] of Object.entries(values)) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

export function apply(root) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = t(element.dataset.i18nPlaceholder);
  }
}
