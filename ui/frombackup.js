// Restore several rules from a rule backup file: the file's rules against
// the account's list as it is now, the ones not there ticked, an optional
// publish (with the publishes left this month), one audited restore each.

import { call, el, fill, notice, problemText } from './api.js';
import { t } from './i18n.js';
import { currentForm, loadRules } from './delete.js';
import { closeDialog, openDialog } from './dialog.js';

const $ = (id) => document.getElementById(id);
let contents = null;
let form = null;
let opener = null;
let busy = false;

export function initFromBackup() {
  $('backup-restore').addEventListener('click', open);
  $('from-backup-close').addEventListener('click', closeFromBackup);
  $('from-backup-ok').addEventListener('click', restore);
}

export function closeFromBackup() {
  if (busy) return;
  closeDialog($('from-backup'));
  opener?.focus?.({ preventScroll: true });
}

function say(text, kind = 'info') {
  notice('from-backup-message', text, kind);
}

function ticked() {
  return [...document.querySelectorAll('#from-backup-table .pick-box')].filter((b) => b.checked).map((b) => b.dataset.prefix);
}

function updateButton() {
  const n = ticked().length;
  $('from-backup-ok').textContent = t('frombackup.ok', { n });
  $('from-backup-ok').disabled = n === 0;
}

async function open() {
  opener = document.activeElement;
  form = currentForm();
  try {
    contents = await call('open_backup', { form });
  } catch (error) {
    $('backup-message').textContent = problemText(error);
    $('backup-message').className = 'notice error';
    $('backup-message').hidden = false;
    return;
  }
  if (!contents) return;
  $('from-backup-file').textContent = t('frombackup.file', { path: contents.path, n: contents.rules.length });
  // The rules missing from the list first: those are what a restore is for.
  const missingFirst = [...contents.rules].sort((a, b) => contents.present.includes(a.prefix) - contents.present.includes(b.prefix));
  fill($('from-backup-table').tBodies[0], ...missingFirst.map((rule) => {
    const present = contents.present.includes(rule.prefix);
    const row = el('tr');
    row.dataset.prefix = rule.prefix;
    const box = el('input');
    box.type = 'checkbox';
    box.className = 'pick-box';
    box.dataset.prefix = rule.prefix;
    box.checked = !present;
    box.disabled = present;
    box.setAttribute('aria-label', t('rules.select_one', { prefix: rule.prefix }));
    box.addEventListener('change', updateButton);
    const pick = el('td', '', 'pick');
    pick.append(box);
    row.append(pick, el('td', rule.prefix, 'mono wrap'), el('td', rule.path, 'mono wrap'),
      el('td', t(present ? 'frombackup.present' : 'frombackup.missing'), present ? 'muted' : ''));
    return row;
  }));
  $('from-backup-publish').checked = false;
  $('from-backup-quota').textContent = contents.publishesLeft === 0
    ? t('restore.quota.none')
    : contents.publishesLeft != null ? t('restore.quota', { n: contents.publishesLeft }) : '';
  $('from-backup-results').hidden = true;
  $('from-backup-ok').hidden = false;
  $('from-backup-close').textContent = t('confirm.cancel');
  say('');
  updateButton();
  openDialog($('from-backup'));
  $('from-backup-close').focus({ preventScroll: true });
}

async function restore() {
  const prefixes = ticked();
  if (busy) return;
  if (!prefixes.length) {
    say(t('frombackup.none'), 'error');
    return;
  }
  busy = true;
  $('from-backup-ok').disabled = true;
  try {
    const results = await call('restore_from_backup', {
      form, prefixes, publish: $('from-backup-publish').checked,
    });
    fill($('from-backup-results'), ...results.map((r) => {
      const o = r.restore;
      if (o.status !== 'ok') {
        return el('li', t('frombackup.result.failed', { prefix: r.prefix, code: o.errcode ?? '—', meaning: o.explanation.meaning }), 'failed');
      }
      const p = r.publish;
      if (p && p.status !== 'ok') {
        return el('li', t('frombackup.result.unpublished', { prefix: r.prefix, code: p.errcode ?? '—', meaning: p.explanation.meaning }), 'failed');
      }
      return el('li', t(p ? 'frombackup.result.published' : 'frombackup.result.ok', { prefix: r.prefix, id: o.recordId }), 'ok');
    }));
    $('from-backup-results').hidden = false;
    $('from-backup-ok').hidden = true;
    $('from-backup-close').textContent = t('detail.close');
    loadRules();
  } catch (error) {
    say(problemText(error), 'error');
  } finally {
    busy = false;
    $('from-backup-ok').disabled = false;
  }
}

export const screen = { init: initFromBackup, dialogs: { 'from-backup': closeFromBackup } };
