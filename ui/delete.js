// The delete screen: mode, Mini Program AppID, prefix (typed or picked),
// validation as the admin types, confirmation, the answer.

import { announce, call, channel, el, fill, problem, problemText } from './api.js';
import { t } from './i18n.js';
import { markChosen, rovingKeys } from './roving.js';
import { app } from './state.js';
import { renderImpact } from './impact.js';
import { closeDialog, openDialog } from './dialog.js';
import { openPublish, rowActions } from './rules.js';

const $ = (id) => document.getElementById(id);
let mode = 'ordinary';
let rules = [];
// Prefixes ticked for a batch delete; cleared when the list is read again.
const selected = new Set();
let inFlight = false;
let validation = 0;

export function initDelete() {
  for (const button of document.querySelectorAll('#mode-switch .seg')) {
    button.addEventListener('click', () => setMode(button.dataset.mode));
  }
  rovingKeys(document.getElementById('mode-switch'), '.seg', (button) => setMode(button.dataset.mode));
  $('prefix').addEventListener('input', validateSoon);
  $('target-appid').addEventListener('input', validateSoon);
  $('rules-refresh').addEventListener('click', loadRules);
  for (const event of ['input', 'change', 'search']) $('rules-search').addEventListener(event, renderRules);
  $('rules-select-all').addEventListener('change', () => {
    for (const rule of shownRules()) {
      if ($('rules-select-all').checked) selected.add(rule.prefix);
      else selected.delete(rule.prefix);
    }
    renderRules();
  });
  $('backup-csv').addEventListener('click', () => backup('csv'));
  $('backup-json').addEventListener('click', () => backup('json'));
  $('delete-button').addEventListener('click', askToConfirm);
  $('batch-publish').addEventListener('click', () => openPublish(selectedPrefixes()));
  $('confirm-cancel').addEventListener('click', () => closeDialog($('confirm')));
  $('confirm-ok').addEventListener('click', runDelete);
}

/** Called when the account changes: offer only the modes it can use. */
function accountChanged() {
  const account = app.account();
  for (const button of document.querySelectorAll('#mode-switch .seg')) {
    const allowed = !account || account.modes.includes(button.dataset.mode);
    button.disabled = !allowed;
    button.title = allowed ? '' : t('mode.unavailable');
  }
  if (account && !account.modes.includes(mode)) {
    setMode(account.modes[0]);
  } else {
    setMode(mode);
  }
}

function setMode(next) {
  mode = next;
  const buttons = [...document.querySelectorAll('#mode-switch .seg')];
  for (const button of buttons) {
    button.classList.toggle('active', button.dataset.mode === mode);
  }
  markChosen(buttons, buttons.find((button) => button.dataset.mode === mode), 'aria-checked');
  const service = mode === 'service_account';
  $('appid-field').hidden = !service;
  $('mode-help').dataset.i18n = `mode.help.${mode}`;
  $('mode-help').textContent = t(`mode.help.${mode}`);
  const account = app.account();
  if (service && account?.demo && !$('target-appid').value) {
    $('target-appid').value = app.info.demoTargetAppid;
  }
  rules = [];
  renderRules();
  $('rules-status').textContent = '';
  $('result').hidden = true;
  if ($('prefix').value || $('target-appid').value) validateSoon();
  loadRules();
}

/** The form as the commands take it (prefix empty: the account and mode only). */
export function currentForm() {
  return { ...form(), prefix: '' };
}

/** The rules ticked, in list order. */
export function selectedPrefixes() {
  return rules.filter((r) => selected.has(r.prefix)).map((r) => r.prefix);
}

/** The rule list as last read. */
export function currentRules() {
  return rules;
}

export function currentMode() {
  return mode;
}

function form() {
  return {
    accountId: app.accountId,
    mode,
    prefix: $('prefix').value,
    appid: mode === 'service_account' ? $('target-appid').value : null,
  };
}

function showFieldError(field, message) {
  const id = field === 'target_appid' ? 'target-appid-error' : 'prefix-error';
  $(id).textContent = message || '';
  $(id).hidden = !message;
  const input = field === 'target_appid' ? $('target-appid') : $('prefix');
  input.classList.toggle('invalid', Boolean(message));
}

function validateSoon() {
  const ticket = ++validation;
  setTimeout(() => { if (ticket === validation) validate(); }, 120);
}

/** Asks Rust (the same checks the delete runs); returns whether all is well. */
async function validate() {
  const problems = await call('validate_delete', { form: form() });
  const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
  showFieldError('prefix', byField.prefix);
  showFieldError('target_appid', mode === 'service_account' ? byField.target_appid : null);
  return problems.length === 0;
}

/** Saves the whole rule list as CSV or JSON where the admin chooses. */
async function backup(format) {
  const button = $(`backup-${format}`);
  button.disabled = true;
  const note = $('backup-message');
  try {
    const saved = await call('backup_rules', { form: currentForm(), format });
    if (saved) {
      note.textContent = t('backup.saved', { n: saved.rules, path: saved.path });
      note.className = 'notice ok';
      note.hidden = false;
    }
  } catch (error) {
    note.textContent = problemText(error);
    note.className = 'notice error';
    note.hidden = false;
  } finally {
    button.disabled = false;
  }
}

export async function loadRules() {
  if (!app.accountId) return;
  if (mode === 'service_account' && !$('target-appid').value.trim()) {
    $('rules-status').textContent = t('rules.need_appid');
    return;
  }
  $('rules-status').textContent = t('rules.loading');
  try {
    // A service account's list comes 200 rules a page: say how far it is.
    const onProgress = channel(({ fetched, total }) => {
      $('rules-status').textContent = total
        ? t('rules.loading.progress.total', { n: fetched, total })
        : t('rules.loading.progress', { n: fetched });
    });
    const list = await call('list_rules', { form: { ...form(), prefix: '' }, onProgress });
    rules = list.rule_list;
    selected.clear();
    $('rules-status').textContent = list.qrcodejump_pub_quota != null
      ? t('rules.count.quota', { n: rules.length, q: list.qrcodejump_pub_quota })
      : t('rules.count', { n: rules.length });
  } catch (error) {
    rules = [];
    $('rules-status').textContent = problemText(error);
  }
  renderRules();
}

/** The rules the search lets through. */
function shownRules() {
  const query = $('rules-search').value.trim().toLowerCase();
  return rules.filter((r) => !query || r.prefix.toLowerCase().includes(query) || r.path.toLowerCase().includes(query));
}

export function renderRules() {
  const shown = shownRules();
  const rows = shown
    .map((rule) => {
      const row = el('tr');
      row.tabIndex = 0;
      row.dataset.prefix = rule.prefix;
      const box = el('input');
      box.type = 'checkbox';
      box.className = 'pick-box';
      box.checked = selected.has(rule.prefix);
      box.setAttribute('aria-label', t('rules.select_one', { prefix: rule.prefix }));
      box.addEventListener('click', (event) => event.stopPropagation());
      box.addEventListener('keydown', (event) => event.stopPropagation());
      box.addEventListener('change', () => {
        if (box.checked) selected.add(rule.prefix);
        else selected.delete(rule.prefix);
        updateSelection(shown);
      });
      const pickCell = el('td', '', 'pick');
      pickCell.append(box);
      pickCell.addEventListener('click', (event) => {
        // A click beside the small box ticks it too.
        if (event.target === pickCell) box.click();
        event.stopPropagation();
      });
      row.append(
        pickCell,
        el('td', rule.prefix, 'mono wrap prefix'),
        el('td', rule.path, 'mono wrap'),
        el('td', t(`state.${rule.state}`), rule.state === 2 ? 'badge-cell published' : 'badge-cell'),
        el('td', rule.open_version ? t(`range.${rule.open_version}`) : '—', 'range'),
        rowActions(rule),
      );
      row.classList.toggle('selected', rule.prefix === $('prefix').value.trim());
      const pick = () => {
        $('prefix').value = rule.prefix;
        validate();
        renderRules();
      };
      row.addEventListener('click', pick);
      row.addEventListener('keydown', (event) => { if (event.key === 'Enter') pick(); });
      return row;
    });
  fill($('rules-table').tBodies[0], ...rows);
  updateSelection(shown);
}

function updateSelection(shown) {
  const n = selected.size;
  $('rules-selected').textContent = t('rules.selected', { n });
  $('batch-delete').disabled = n === 0 || !app.info?.writable;
  $('batch-publish').disabled = n === 0 || !app.info?.writable;
  const all = $('rules-select-all');
  const ticked = shown.filter((r) => selected.has(r.prefix)).length;
  all.checked = shown.length > 0 && ticked === shown.length;
  all.indeterminate = ticked > 0 && ticked < shown.length;
}

async function askToConfirm() {
  if (inFlight) return;
  if (!(await validate())) return;
  const prefix = $('prefix').value.trim();
  const rule = rules.find((r) => r.prefix === prefix);
  const mono = 'mono wrap';
  const details = [
    [t('account.current'), app.account()?.name ?? '', 'wrap'],
    [t('delete.mode'), t(`mode.${mode}`), 'wrap'],
    [t('field.prefix'), prefix, mono],
  ];
  if (mode === 'service_account') details.push([t('field.target_appid'), $('target-appid').value.trim(), mono]);
  if (rule) {
    details.push([t('rules.path'), rule.path, mono], [t('rules.state'), t(`state.${rule.state}`), 'wrap']);
    if (rule.open_version) details.push([t('rules.range'), t(`range.${rule.open_version}`), 'wrap']);
  } else {
    details.push(['', t('confirm.unknown_rule'), 'wrap']);
  }
  fill($('confirm-details'), ...details.flatMap(([k, v, cls]) => [el('dt', k), el('dd', v, cls)]));
  // What happens to the printed codes: a broader published rule may take
  // them over, and the account's list of printed codes says which break.
  const impact = rule
    ? await call('delete_impact', { accountId: app.accountId, prefix, rules }).catch(() => null)
    : null;
  const over = impact?.takesOver[0]?.rule;
  const warning = $('confirm-warning');
  if (over) {
    delete warning.dataset.i18n;
    warning.textContent = t('confirm.takes_over', { prefix: over.prefix, path: over.path });
  } else {
    warning.dataset.i18n = 'confirm.warning';
    warning.textContent = t('confirm.warning');
  }
  if (impact) renderImpact($('confirm-impact'), impact);
  else fill($('confirm-impact'));
  openDialog($('confirm'));
  $('confirm-cancel').focus({ preventScroll: true });
}

async function runDelete() {
  if (inFlight) return;
  inFlight = true;
  closeDialog($('confirm'));
  $('delete-button').disabled = true;
  $('busy').hidden = false;
  $('result').hidden = true;
  try {
    const outcome = await call('delete_rule', { form: form() });
    showResult(outcome.status, outcome.errcode, outcome.errmsg, outcome.explanation.meaning, outcome.explanation.whatToDo, outcome.recordId);
    // An unknown outcome is settled by reading the list once: say what it found.
    const check = outcome.check;
    if (check) {
      $('result-check').textContent = `${check.explanation.meaning} ${check.explanation.whatToDo} ${t('result.record', { id: check.recordId })}`.trim();
      $('result-check').hidden = false;
    }
  } catch (error) {
    const p = problem(error);
    if (p.field) {
      showFieldError(p.field, p.message);
    } else {
      showResult('failed', p.errcode, p.errmsg, p.message, p.hint, null);
    }
  } finally {
    inFlight = false;
    $('delete-button').disabled = false;
    $('busy').hidden = true;
    loadRules();
  }
}

function showResult(status, errcode, errmsg, meaning, todo, recordId) {
  $('result').hidden = false;
  $('result').className = `result ${status}`;
  $('result-title').textContent = t(`result.${status === 'ok' ? 'ok' : status === 'unknown' ? 'unknown' : 'failed'}`);
  $('result-errcode').textContent = errcode ?? t('result.none');
  $('result-errmsg').textContent = errmsg ?? t('result.none');
  $('result-meaning').textContent = meaning || '';
  $('result-todo').textContent = todo || '';
  $('result-todo').hidden = !todo;
  $('result-record').textContent = recordId ? t('result.record', { id: recordId }) : '';
  $('result-check').hidden = true;
  announce([$('result-title').textContent, errcode != null ? `errcode ${errcode}` : '', meaning, todo].filter(Boolean).join('. '));
}

/** The Delete screen and its confirmation. */
export const screen = {
  view: 'delete',
  init: initDelete,
  render: renderRules,
  accountChosen: accountChanged,
  dialogs: { confirm: () => closeDialog($('confirm')) },
};
