// Batch delete: choose many rules (ticked in the list, pasted, or imported),
// review them, confirm (typing the count above ten), watch the progress,
// stop after the current call, retry the failures; and the unfinished
// batches of earlier runs, to check and resume.

import { call, channel, el, fill, localTime, notice, problemText } from './api.js';
import { lang, t } from './i18n.js';
import { app } from './state.js';
import { currentForm, loadRules, selectedPrefixes } from './delete.js';
import { goesTo, renderImpact } from './impact.js';
import { closeDialog, openDialog } from './dialog.js';

const $ = (id) => document.getElementById(id);
/** Above this many rules the admin types the count to confirm. */
const TYPE_THE_COUNT = 10;

let form = null; // {accountId, mode, appid}
let plan = null;
let running = null; // the batch id being sent
let resuming = null; // the unfinished batch offered for resuming
let finished = null; // the last batch's status
let opener = null;

export function initBatch() {
  $('batch-delete').addEventListener('click', () => open(selectedPrefixes()));
  $('batch-paste-open').addEventListener('click', () => open([]));
  $('batch-import').addEventListener('click', importFile);
  $('batch-review').addEventListener('click', () => review(null));
  $('batch-start').addEventListener('click', start);
  $('batch-cancel').addEventListener('click', cancel);
  $('batch-retry').addEventListener('click', retry);
  $('batch-close').addEventListener('click', close);
  $('batch-type').addEventListener('input', typed);
}

function stage(name) {
  for (const part of ['input', 'confirm', 'progress', 'result']) {
    $(`batch-${part}`).hidden = part !== name && !(name === 'result' && part === 'progress');
  }
  $('batch-review').hidden = name !== 'input';
  $('batch-start').hidden = name !== 'confirm';
  $('batch-cancel').hidden = name !== 'progress';
  $('batch-close').hidden = name === 'progress';
  $('batch-close').textContent = t(name === 'result' ? 'detail.close' : 'confirm.cancel');
  $('batch-retry').hidden = !(name === 'result' && finished?.counts.failed > 0);
}

function say(text, kind = 'info') {
  notice('batch-message', text, kind);
}

/** Opens the dialog: on the list review when prefixes are given, else on the paste box. */
function open(prefixes) {
  opener = document.activeElement;
  form = currentForm();
  resuming = null;
  finished = null;
  say('');
  openDialog($('batch'));
  if (prefixes.length) {
    review(prefixes);
  } else {
    $('batch-text').value = '';
    stage('input');
    $('batch-text').focus({ preventScroll: true });
  }
}

function close() {
  if (running !== null) return;
  closeDialog($('batch'));
  opener?.focus?.({ preventScroll: true });
  if (finished) {
    loadRules();
    loadUnfinished();
    finished = null;
  }
}

async function importFile() {
  try {
    const prefixes = await call('import_prefixes');
    if (prefixes) $('batch-text').value = prefixes.join('\n');
  } catch (error) {
    say(problemText(error), 'error');
  }
}

/** Reads the list once and shows what would be deleted and what would not. */
async function review(prefixes) {
  say(t('rules.loading'));
  const text = prefixes ? null : $('batch-text').value;
  if (!prefixes && !text.trim()) {
    say(t('batch.empty'), 'error');
    return;
  }
  try {
    plan = await call('plan_batch', { form: { ...form, prefixes: prefixes ?? [], text } });
  } catch (error) {
    say(problemText(error), 'error');
    return;
  }
  say('');
  const n = plan.rules.length;
  const account = app.accounts.find((a) => a.id === form.accountId)?.name ?? '';
  $('batch-count').textContent = t('batch.count', { n, account, mode: t(`mode.${form.mode}`) });
  fill($('batch-list'), ...plan.rules.map((rule) => {
    const item = el('li', rule.prefix);
    item.append(el('span', ` → ${rule.path}`, 'muted'), el('span', goesTo(plan.impact, rule.prefix), 'goes muted'));
    return item;
  }));
  renderImpact($('batch-impact'), plan.impact);
  const skipped = [
    ...plan.missing.map((prefix) => t('batch.missing', { prefix })),
    ...plan.invalid.map((line) => t('batch.invalid', { text: line.text, message: line.message })),
  ];
  if (plan.duplicates) skipped.push(t('batch.duplicates', { n: plan.duplicates }));
  fill($('batch-skipped-list'), ...skipped.map((line) => el('li', line)));
  $('batch-skipped').hidden = skipped.length === 0;
  $('batch-type-field').hidden = n <= TYPE_THE_COUNT;
  $('batch-type').value = '';
  $('batch-type-label').textContent = t('batch.type', { n });
  $('batch-start').textContent = t('batch.start', { n });
  resuming = null;
  stage('confirm');
  if (n === 0) {
    $('batch-start').hidden = true;
    say(t('batch.nothing'), 'error');
  }
  typed();
  (n > TYPE_THE_COUNT ? $('batch-type') : $('batch-close')).focus({ preventScroll: true });
}

function typed() {
  const n = resuming ? 0 : plan?.rules.length ?? 0;
  $('batch-start').disabled = n === 0 && !resuming ? true : n > TYPE_THE_COUNT && $('batch-type').value.trim() !== String(n);
}

async function start() {
  if (resuming) {
    const id = resuming;
    resuming = null;
    await send(id, 'resume_batch');
    return;
  }
  let begun;
  try {
    begun = await call('begin_batch', { form: { ...form, prefixes: plan.rules.map((r) => r.prefix), text: null } });
  } catch (error) {
    say(problemText(error), 'error');
    return;
  }
  await send(begun.status.batch.id, 'run_batch', begun.status);
}

/** Sends (or resumes) a batch, showing each step as it happens. */
async function send(id, command, status = null) {
  running = id;
  say('');
  $('batch-cancel').disabled = false;
  $('batch-cancel').textContent = t('batch.cancel');
  if (status) progress({ counts: status.counts, remaining: status.counts.neverSent, current: null, etaSeconds: status.counts.neverSent / 5 });
  stage('progress');
  $('batch-cancel').focus({ preventScroll: true });
  try {
    finished = await call(command, { batchId: id, onProgress: channel(progress) });
    showResult(finished);
  } catch (error) {
    finished = null;
    stage('result');
    say(problemText(error), 'error');
  } finally {
    running = null;
    $('batch-close').hidden = false;
    $('batch-close').focus({ preventScroll: true });
    loadUnfinished();
  }
}

function progress(p) {
  const c = p.counts;
  $('batch-done').textContent = String(c.done);
  $('batch-failed').textContent = String(c.failed);
  $('batch-remaining').textContent = String(p.remaining);
  $('batch-current').textContent = p.current ?? '—';
  $('batch-eta').textContent = p.remaining && p.etaSeconds > 0 ? t('batch.eta.value', { s: Math.ceil(p.etaSeconds) }) : '—';
  $('batch-bar').max = Math.max(c.total, 1);
  $('batch-bar').value = c.total - c.neverSent - c.inFlight;
  // A screen reader hears how far it is every five rules, not every call.
  const finishedItems = c.done + c.failed;
  if (p.last && finishedItems % 5 === 0) {
    $('batch-announce').textContent = t('batch.progress.announce', { done: c.done, failed: c.failed, left: p.remaining });
  }
}

function showResult(status) {
  const c = status.counts;
  progress({ counts: c, remaining: c.neverSent, current: null, etaSeconds: 0 });
  $('batch-summary').textContent = t('batch.summary', {
    id: status.batch.id, done: c.done, failed: c.failed, unknown: c.unknown + c.stillThere, left: c.neverSent,
  });
  $('batch-backup').textContent = status.batch.backupPath ? t('batch.backup', { path: status.batch.backupPath }) : '';
  const failures = status.items.filter((item) => item.state === 'failed');
  fill($('batch-failures').tBodies[0], ...failures.map((item) => {
    const row = el('tr');
    row.append(
      el('td', item.prefix, 'mono wrap'),
      el('td', item.errcode ?? '—', 'mono'),
      el('td', item.errmsg ?? '', 'mono wrap'),
      el('td', item.explanation ?? '', 'wrap'),
    );
    return row;
  }));
  $('batch-failures-wrap').hidden = failures.length === 0;
  stage('result');
}

async function cancel() {
  if (running === null) return;
  $('batch-cancel').disabled = true;
  $('batch-cancel').textContent = t('batch.cancelling');
  await call('cancel_batch', { batchId: running });
}

/** A new batch of just the failed items, reviewed against a fresh list. */
function retry() {
  const batch = finished.batch;
  const prefixes = finished.items.filter((item) => item.state === 'failed').map((item) => item.prefix);
  form = { accountId: batch.accountId, mode: batch.mode, appid: batch.targetAppid, prefix: '' };
  finished = null;
  review(prefixes);
}

/** The batches earlier runs left unfinished, with what can be done about them. */
export async function loadUnfinished() {
  let open = [];
  try {
    open = await call('unfinished_batches');
  } catch (error) {
    $('unfinished-message').textContent = problemText(error);
    $('unfinished-message').hidden = false;
  }
  $('unfinished').hidden = open.length === 0;
  fill($('unfinished-list'), ...open.map((status) => {
    const c = status.counts;
    const item = el('li');
    item.dataset.batch = status.batch.id;
    // Only what there is: "30 rules: 11 deleted, 19 never sent".
    const parts = [['done', c.done], ['failed', c.failed], ['unknown', c.unknown], ['still', c.stillThere], ['never', c.neverSent]]
      .filter(([, n]) => n > 0)
      .map(([key, n]) => t(`unfinished.${key}`, { n }));
    const head = t('unfinished.item', { id: status.batch.id, account: status.batch.accountName, time: localTime(status.batch.createdAt), total: c.total });
    const comma = lang() === 'zh-CN' ? '，' : ', ';
    item.append(el('p', [head, ...parts].join(comma)));
    const actions = el('div', '', 'actions');
    if (c.unknown > 0) actions.append(button('unfinished.check', 'ghost small batch-check', () => check(status)));
    if (c.unknown + c.stillThere + c.neverSent > 0) actions.append(button('unfinished.resume', 'small batch-resume', () => offerResume(status)));
    actions.append(button('unfinished.close', 'ghost small batch-close', () => setAside(status)));
    item.append(actions);
    return item;
  }));
}

function button(key, className, action) {
  const b = el('button', t(key), className);
  b.type = 'button';
  b.addEventListener('click', action);
  return b;
}

async function check(status) {
  try {
    const after = await call('check_batch', { batchId: status.batch.id });
    const gone = after.items.filter((i) => i.check === 'gone').length;
    const present = after.items.filter((i) => i.check === 'present').length;
    $('unfinished-message').textContent = t('unfinished.checked', { gone, present });
    $('unfinished-message').className = 'notice ok';
  } catch (error) {
    $('unfinished-message').textContent = problemText(error);
    $('unfinished-message').className = 'notice error';
  }
  $('unfinished-message').hidden = false;
  loadUnfinished();
}

function offerResume(status) {
  opener = document.activeElement;
  const c = status.counts;
  resuming = status.batch.id;
  finished = null;
  say('');
  $('batch-count').textContent = t('unfinished.resume.confirm', { id: status.batch.id, unknown: c.unknown + c.stillThere, never: c.neverSent });
  const toSend = status.items.filter((i) => i.state === 'never_sent' || i.state === 'unknown');
  fill($('batch-list'), ...toSend.map((i) => el('li', i.prefix)));
  fill($('batch-impact'));
  $('batch-skipped').hidden = true;
  $('batch-type-field').hidden = true;
  $('batch-start').textContent = t('unfinished.resume');
  openDialog($('batch'));
  stage('confirm');
  typed();
  $('batch-close').focus({ preventScroll: true });
}

async function setAside(status) {
  try {
    await call('close_batch', { batchId: status.batch.id });
  } catch (error) {
    $('unfinished-message').textContent = problemText(error);
    $('unfinished-message').hidden = false;
  }
  loadUnfinished();
}

/** The batch dialog and the unfinished batches' notice; Escape closes the
 *  dialog unless a batch is being sent. */
export const screen = { init: initBatch, render: loadUnfinished, dialogs: { batch: close } };
