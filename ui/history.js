// The history screen: filters, a paged table (newest first), a record's
// detail, CSV export of the current filter and the integrity check.

import { call, el, fill, localTime, notice, problem, problemText } from './api.js';
import { t } from './i18n.js';
import { openRestore } from './restore.js';
import { closeDialog, openDialog } from './dialog.js';
import { buildFilters, fillChoices } from './filters.js';

const $ = (id) => document.getElementById(id);
// Keyset paging: the id each page started before (null: the newest page).
let cursors = [null];
let records = [];
// related record id → the latest check / restore / publish linked to it.
let links = new Map();
let shown = null; // the record in the detail dialog
let filter = () => ({}); // reads the filter form (set by initHistory)

export function initHistory() {
  const filters = ['from', 'to', 'status', 'mode', 'action', 'batch', 'linked', 'account', 'text'];
  filter = buildFilters($('history-filters'), filters, (key) => `filter-${key}`);
  $('history-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    reload();
  });
  $('filter-reset').addEventListener('click', () => {
    $('history-filters').reset();
    reload();
  });
  $('page-older').addEventListener('click', () => {
    if (records.length === 50) {
      cursors.push(records[records.length - 1].id);
      load();
    }
  });
  $('page-newer').addEventListener('click', () => {
    if (cursors.length > 1) {
      cursors.pop();
      load();
    }
  });
  $('export-button').addEventListener('click', exportCsv);
  $('verify-button').addEventListener('click', verify);
  $('verify-against-button').addEventListener('click', verifyAgainst);
  $('detail-close').addEventListener('click', () => closeDialog($('detail')));
  $('detail-check').addEventListener('click', checkShown);
  $('detail-restore').addEventListener('click', () => {
    closeDialog($('detail'));
    openRestore(shown, () => load());
  });
}

export async function reload() {
  cursors = [null];
  try {
    fillChoices($('filter-account'), await call('history_accounts'));
  } catch (error) {
    message(problem(error).message, 'error');
  }
  await load();
}

async function load() {
  try {
    records = await call('history_page', { filter: filter(), before: cursors[cursors.length - 1] });
    links = new Map();
    for (const link of await call('history_links', { ids: records.map((r) => r.id) })) {
      links.set(`${link.relatedId}:${link.action}`, link);
    }
  } catch (error) {
    message(problem(error).message, 'error');
    records = [];
  }
  render();
}

export function render() {
  const rows = records.map((record) => {
    const row = el('tr');
    row.tabIndex = 0;
    row.dataset.id = record.id;
    const account = el('td', record.accountName);
    if (record.demo) account.append(el('span', t('demo.tag'), 'tag'));
    const outcome = el('td', t(`status.${record.status}`), `status ${record.status}`);
    const check = links.get(`${record.id}:check`);
    if (record.conclusion) outcome.append(el('span', t(`conclusion.${record.conclusion}`), `tag ${record.conclusion}`));
    else if (check?.conclusion) outcome.append(el('span', t(`conclusion.${check.conclusion}`), `tag ${check.conclusion}`));
    const restored = links.get(`${record.id}:restore`);
    if (restored?.status === 'ok') outcome.append(el('span', t('link.restore', { id: restored.id }), 'tag'));
    row.append(
      el('td', localTime(record.startedAt), 'nowrap'),
      el('td', t(`action.${record.action}`)),
      account,
      el('td', t(`mode.${record.mode}`)),
      el('td', record.prefix, 'mono wrap'),
      outcome,
      el('td', record.errcode ?? '—', 'mono'),
      el('td', record.batchId ?? '', 'mono small'),
      el('td', record.relatedId ? t('history.linked.to', { id: record.relatedId }) : '', 'mono'),
    );
    row.addEventListener('click', () => showDetail(record.id));
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') showDetail(record.id); });
    return row;
  });
  fill($('history-table').tBodies[0], ...rows);
  $('history-empty').hidden = records.length > 0;
  $('page-label').textContent = t('history.page', { n: cursors.length });
  $('page-newer').disabled = cursors.length <= 1;
  $('page-older').disabled = records.length < 50;
}

async function showDetail(id) {
  let record;
  try {
    record = await call('history_record', { id });
  } catch (error) {
    message(problem(error).message, 'error');
    return;
  }
  if (!record) return;
  await showRecord(record);
}

/** The detail dialog for `record`. A team record comes with its computer:
 *  it is shown read-only (its links, restore and check are on that computer). */
export async function showRecord(record, computer = null) {
  const local = computer === null;
  $('detail-title').textContent = t('detail.title', { id: record.id });
  const fields = [
    [t('history.action'), t(`action.${record.action}`)],
    [t('detail.started'), localTime(record.startedAt)],
    [t('detail.finished'), localTime(record.finishedAt)],
    [t('history.outcome'), t(`status.${record.status}`)],
    [t('history.account'), record.accountName + (record.demo ? ` (${t('demo.tag')})` : '')],
    [t('detail.caller'), record.callerAppid],
    [t('history.mode'), t(`mode.${record.mode}`)],
    [t('history.prefix'), record.prefix],
    [t('detail.target'), record.targetAppid],
    ['errcode', record.errcode],
    ['errmsg', record.errmsg],
    [t('detail.explanation'), record.explanation],
    [t('detail.conclusion'), record.conclusion && t(`conclusion.${record.conclusion}`)],
    [t('detail.related'), record.relatedId && t('history.linked.to', { id: record.relatedId })],
    [t('detail.batch'), record.batchId],
    [t('detail.kind'), record.errorKind && translated(`error_kind.${record.errorKind}`, record.errorKind)],
    [t('detail.duration'), record.durationMs != null ? `${record.durationMs} ms` : null],
    [t('detail.operator'), record.operator],
    [t('team.computer'), computer],
    [t('detail.version'), record.appVersion],
    [t('detail.hash'), record.hash],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  fill($('detail-fields'), ...fields.flatMap(([k, v]) => [el('dt', k), el('dd', String(v), 'wrap')]));
  showSnapshot(record.ruleSnapshot);
  shown = record;
  detailMessage('');
  $('detail-check').hidden = !(local && record.action === 'delete' && record.status === 'unknown');
  $('detail-restore').hidden = !(local && record.action === 'delete' && record.status === 'ok' && record.ruleSnapshot);
  if (local) {
    await showLinks(record);
  } else {
    $('detail-links').hidden = true;
    $('detail-links-title').hidden = true;
  }
  openDialog($('detail'));
  $('detail-close').focus({ preventScroll: true });
  $('detail').querySelector('.modal-box').scrollTop = 0;
}

/** The checks, restores and publishes that point at this record. */
async function showLinks(record) {
  let linked = [];
  try {
    linked = await call('history_page', { filter: { relatedTo: record.id }, before: null });
  } catch {
    // The detail still shows the record itself.
  }
  linked = linked.filter((r) => r.id !== record.id).reverse();
  const line = (r) => {
    if (r.action === 'check') {
      return t(r.conclusion ? `link.check.${r.conclusion}` : 'link.check.none', { id: r.id });
    }
    return t(`link.${r.action === 'publish' ? 'publish' : 'restore'}.full`, { id: r.id, status: t(`status.${r.status}`) });
  };
  fill($('detail-links'), ...linked.map((r) => el('li', line(r))));
  $('detail-links').hidden = linked.length === 0;
  $('detail-links-title').hidden = linked.length === 0;
}

function detailMessage(text, kind = 'info') {
  notice('detail-message', text, kind);
}

/** Reads the rule list once and records whether the rule is still there. */
async function checkShown() {
  $('detail-check').disabled = true;
  try {
    const outcome = await call('check_record', { id: shown.id });
    detailMessage(`${outcome.explanation.meaning} ${outcome.explanation.whatToDo}`.trim(), outcome.status === 'ok' ? 'ok' : 'error');
    await showLinks(shown);
    load();
  } catch (error) {
    detailMessage(problemText(error), 'error');
  } finally {
    $('detail-check').disabled = false;
  }
}

/** The rule as it was before the delete: in words, and the raw JSON for restoring it. */
function showSnapshot(text) {
  $('detail-no-snapshot').hidden = Boolean(text);
  $('detail-snapshot-fields').hidden = !text;
  $('detail-snapshot-raw').hidden = !text;
  if (!text) return;
  let rule = null;
  try {
    rule = JSON.parse(text);
  } catch {
    // Shown raw below.
  }
  $('detail-snapshot').textContent = rule ? JSON.stringify(rule, null, 2) : text;
  const fields = rule ? [
    [t('rules.prefix'), rule.prefix, 'mono wrap'],
    [t('rules.path'), rule.path, 'mono wrap'],
    [t('rules.state'), rule.state != null && translated(`state.${rule.state}`, rule.state)],
    [t('rules.range'), rule.open_version != null && translated(`range.${rule.open_version}`, rule.open_version)],
    [t('detail.debug_url'), (rule.debug_url || []).join('\n'), 'mono wrap lines'],
    [t('detail.sub_rule'), rule.permit_sub_rule != null && translated(`detail.sub_rule.${rule.permit_sub_rule}`, rule.permit_sub_rule)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '' && value !== false) : [];
  fill($('detail-snapshot-fields'), ...fields.flatMap(([k, v, cls]) => [el('dt', k), el('dd', String(v), cls || 'wrap')]));
}

/** The translation of `key`, or `fallback` when there is none (a value newer than this UI). */
function translated(key, fallback) {
  const text = t(key);
  return text === key ? String(fallback) : text;
}

function message(text, kind = 'info') {
  notice('history-message', text, kind);
}

async function exportCsv() {
  $('export-button').disabled = true;
  try {
    const result = await call('export_history', { filter: filter() });
    if (result) message(t('history.exported', { n: result.records, path: result.path, manifest: result.manifest }), 'ok');
  } catch (error) {
    message(problemText(error), 'error');
  } finally {
    $('export-button').disabled = false;
  }
}

/** The result of an integrity check, in words. */
function verification(result) {
  switch (result.state) {
    case 'intact': return t('history.intact', { n: result.records });
    case 'altered': return t('history.altered', { id: result.id });
    case 'removed': return t('history.removed', { id: result.afterId });
    default: return t('history.truncated', { expected: result.expected, found: result.found });
  }
}

/** What the head's signature says, in words. */
function signing(result) {
  switch (result.state) {
    case 'signed':
      return result.after ? t('history.signing.signed_after', result) : t('history.signing.signed', result);
    case 'unsigned': return t('history.signing.unsigned');
    default: return t('history.signing.broken');
  }
}

async function verify() {
  $('verify-button').disabled = true;
  try {
    const result = await call('verify_history');
    const fine = result.state === 'intact' && result.signing.state !== 'broken';
    message(`${verification(result)} ${signing(result.signing)}`, fine ? 'ok' : 'error');
  } catch (error) {
    message(problemText(error), 'error');
  } finally {
    $('verify-button').disabled = false;
  }
}

/** Checks the history against the manifest the admin picks. */
async function verifyAgainst() {
  $('verify-against-button').disabled = true;
  try {
    const report = await call('verify_history_against');
    if (!report) return;
    const intact = report.verification.state === 'intact';
    const lines = [intact
      ? t('history.anchor_intact', { time: localTime(report.exportedAt), n: report.chainRecords })
      : verification(report.verification)];
    lines.push(t(`history.csv.${report.csv}`));
    if (report.signing.state === 'broken') lines.push(t('history.signing.broken'));
    message(lines.join(' '), intact && report.csv !== 'differs' && report.signing.state !== 'broken' ? 'ok' : 'error');
  } catch (error) {
    message(problemText(error), 'error');
  } finally {
    $('verify-against-button').disabled = false;
  }
}

/** The History screen and a record's detail. */
export const screen = { view: 'history', init: initHistory, render, shown: reload, dialogs: { detail: () => closeDialog($('detail')) } };
