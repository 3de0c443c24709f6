// One audited record's answer, as the restore and rule dialogs show it:
// WeChat's errcode and errmsg as sent, what it means, what to do, the record.

import { el } from './api.js';
import { t } from './i18n.js';

export function outcomeBlock(title, outcome) {
  const block = el('div', '', `outcome ${outcome.status}`);
  block.append(el('h4', title));
  const kv = el('dl', '', 'kv');
  kv.append(el('dt', 'errcode'), el('dd', outcome.errcode ?? t('result.none'), 'mono'));
  kv.append(el('dt', 'errmsg'), el('dd', outcome.errmsg ?? t('result.none'), 'mono wrap'));
  block.append(kv, el('p', outcome.explanation.meaning));
  if (outcome.explanation.whatToDo) block.append(el('p', outcome.explanation.whatToDo, 'todo'));
  block.append(el('p', t('result.record', { id: outcome.recordId }), 'muted small'));
  return block;
}
