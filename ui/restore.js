// Restore a deleted rule from its delete in the history: add it back with
// the snapshot's settings, publish it if the admin asks (showing how many
// publishes are left this month), and help with WeChat's verification file.

import { call, el, fill, problemText } from './api.js';
import { t } from './i18n.js';
import { loadRules } from './delete.js';
import { closeDialog, openDialog } from './dialog.js';
import { outcomeBlock } from './outcome.js';

const $ = (id) => document.getElementById(id);
let record = null;
let done = () => {};
let opener = null;
let busy = false;

export function initRestore() {
  $('restore-cancel').addEventListener('click', closeRestore);
  $('restore-ok').addEventListener('click', restore);
  $('restore-save-file').addEventListener('click', saveFile);
}

export function closeRestore() {
  if (busy) return;
  closeDialog($('restore'));
  opener?.focus?.({ preventScroll: true });
}

export async function openRestore(deleteRecord, onDone) {
  record = deleteRecord;
  done = onDone;
  opener = document.activeElement;
  const rule = JSON.parse(record.ruleSnapshot);
  fill($('restore-details'), ...[
    [t('history.account'), record.accountName],
    [t('history.mode'), t(`mode.${record.mode}`)],
    [t('rules.prefix'), rule.prefix, 'mono wrap'],
    [t('rules.path'), rule.path, 'mono wrap'],
    [t('detail.related'), t('history.linked.to', { id: record.id })],
  ].flatMap(([k, v, cls]) => [el('dt', k), el('dd', v, cls || 'wrap')]));
  $('restore-publish').checked = false;
  $('restore-publish').disabled = false;
  $('restore-result').hidden = true;
  $('restore-file').hidden = true;
  $('restore-file-where').textContent = '';
  $('restore-ok').hidden = false;
  $('restore-ok').disabled = false;
  $('restore-cancel').textContent = t('confirm.cancel');
  $('restore-quota').textContent = t('rules.loading');
  openDialog($('restore'));
  $('restore-cancel').focus({ preventScroll: true });
  try {
    const preview = await call('restore_preview', { id: record.id });
    if (preview.publishesLeft === 0) {
      $('restore-quota').textContent = t('restore.quota.none');
    } else if (preview.publishesLeft != null) {
      $('restore-quota').textContent = t('restore.quota', { n: preview.publishesLeft });
    } else {
      $('restore-quota').textContent = t('restore.quota.unknown', { m: preview.publishesProblem ?? '' });
    }
  } catch (error) {
    $('restore-quota').textContent = problemText(error);
  }
}

async function restore() {
  if (busy) return;
  busy = true;
  $('restore-ok').disabled = true;
  try {
    const result = await call('restore_rule', { id: record.id, publish: $('restore-publish').checked });
    const ok = result.restore.status === 'ok';
    const published = result.publish?.status === 'ok';
    let title = t(ok ? 'restore.done' : 'restore.failed');
    if (ok && result.publish) title = t(published ? 'restore.published' : 'restore.publish_failed');
    $('restore-result-title').textContent = title;
    $('restore-result').className = `result ${ok && (!result.publish || published) ? 'ok' : 'failed'}`;
    const blocks = [outcomeBlock(t('action.restore'), result.restore)];
    if (result.publish) blocks.push(outcomeBlock(t('action.publish'), result.publish));
    fill($('restore-outcomes'), ...blocks);
    $('restore-file').hidden = !result.needsVerificationFile;
    $('restore-result').hidden = false;
    $('restore-ok').hidden = ok;
    $('restore-cancel').textContent = t('detail.close');
    done();
    // The rule list on the delete screen has changed.
    loadRules();
  } catch (error) {
    $('restore-result-title').textContent = t('restore.failed');
    fill($('restore-outcomes'), el('p', problemText(error)));
    $('restore-result').className = 'result failed';
    $('restore-result').hidden = false;
  } finally {
    busy = false;
    $('restore-ok').disabled = false;
  }
}

async function saveFile() {
  try {
    const saved = await call('save_verification_file', { id: record.id });
    if (!saved) return;
    $('restore-file-where').textContent = `${t('restore.file.where', { path: saved.path })}\n${saved.location}`;
  } catch (error) {
    $('restore-file-where').textContent = problemText(error);
  }
}

export const screen = { init: initRestore, dialogs: { restore: closeRestore } };
