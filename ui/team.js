// The team history on the history screen: the switch between this computer
// and the team, the connection form, where the push stands, and the team's
// records with their filters, pages, detail and CSV.

import { call, el, fill, localTime, notice, problemText } from './api.js';
import { t } from './i18n.js';
import { showRecord } from './history.js';
import { markChosen, rovingKeys } from './roving.js';
import { buildFilters, fillChoices } from './filters.js';

const $ = (id) => document.getElementById(id);
// Keyset paging: the cursor each page started before (null: the newest).
let cursors = [null];
let records = [];
let status = null;
/** The next look at the status while records wait to be pushed. */
let soon = 0;
let filter = () => ({}); // reads the filter form (set by initTeam)

export function initTeam() {
  const filters = ['from', 'to', 'status', 'mode', 'action', 'batch', 'account', 'computer', 'operator', 'text'];
  // The team's records are all completed: no "pending" to filter on.
  filter = buildFilters($('team-filters'), filters, (key) => (key === 'status' ? 'team-status-filter' : `team-${key}`), ['pending']);
  const scopes = [...document.querySelectorAll('#history-scope .seg')];
  const pick = (button) => setScope(button.dataset.scope);
  for (const button of scopes) button.addEventListener('click', () => pick(button));
  rovingKeys($('history-scope'), '.seg', pick);
  $('team-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('team-settings-button').addEventListener('click', () => showForm($('team-form').hidden));
  $('team-forget').addEventListener('click', forget);
  $('team-push').addEventListener('click', pushNow);
  $('team-verify').addEventListener('click', verify);
  $('team-export').addEventListener('click', exportCsv);
  $('team-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    reloadTeam();
  });
  $('team-reset').addEventListener('click', () => {
    $('team-filters').reset();
    reloadTeam();
  });
  $('team-older').addEventListener('click', () => {
    if (records.length === 50) {
      const last = records[records.length - 1];
      cursors.push({ startedAt: last.startedAt, installationId: last.installationId, localId: last.id });
      load();
    }
  });
  $('team-newer').addEventListener('click', () => {
    if (cursors.length > 1) {
      cursors.pop();
      load();
    }
  });
  refreshStatus();
  // The push runs in the background: show where it stands now and then.
  setInterval(refreshStatus, 15000);
}

function setScope(scope) {
  const team = scope === 'team';
  const buttons = [...document.querySelectorAll('#history-scope .seg')];
  for (const button of buttons) button.classList.toggle('active', button.dataset.scope === scope);
  markChosen(buttons, team ? $('scope-team') : $('scope-local'), 'aria-checked');
  $('history-team').hidden = !team;
  $('history-local').hidden = team;
  if (team) openTeam();
}

async function openTeam() {
  await refreshStatus();
  if (status?.settings) {
    showForm(false);
    reloadTeam();
  } else {
    showForm(true);
    fill($('team-table').tBodies[0]);
    $('team-empty').hidden = true;
  }
}

function showForm(open) {
  $('team-form').hidden = !open;
  $('team-settings-button').setAttribute('aria-expanded', String(open));
  const settings = status?.settings;
  if (open && settings) {
    $('team-host').value = settings.host;
    $('team-port').value = settings.port;
    $('team-database').value = settings.database;
    $('team-user').value = settings.user;
    $('team-tls').checked = settings.requireTls;
  }
  // IT's policy names the database: its fields are shown, not edited.
  const fixed = status?.fixedByPolicy;
  for (const id of ['team-host', 'team-port', 'team-database', 'team-user', 'team-tls']) $(id).disabled = Boolean(fixed);
  $('team-policy-note').textContent = fixed ? t('team.policy', { source: fixed }) : '';
  $('team-policy-note').hidden = !fixed;
  $('team-password').value = '';
  $('team-forget').hidden = !settings || Boolean(fixed);
  if (open) (fixed ? $('team-password') : $('team-host')).focus({ preventScroll: true });
}

/** Where the push stands: on the team card and as a badge beside the switch. */
export async function refreshStatus() {
  const before = status;
  try {
    status = await call('team_status');
  } catch (error) {
    notice('team-status', problemText(error), 'error');
    return;
  }
  renderStatus();
  // A push has ended since: the team view, open on its first page, shows
  // what it brought (the table was read before the record got there).
  const pushed = before?.settings && status.settings && status.lastPushAt !== before.lastPushAt;
  if (pushed && !$('history-team').hidden && cursors.length === 1) reloadTeam();
  // Records waiting (the push runs in the background): look again soon,
  // not at the next quarter minute. The status is read from this computer.
  clearTimeout(soon);
  if (status.settings && status.waiting > 0) soon = setTimeout(refreshStatus, 3000);
}

function renderStatus() {
  if (!status) return;
  const settings = status.settings;
  $('team-push').disabled = !settings;
  $('team-verify').disabled = !settings;
  $('team-export').disabled = !settings;
  // Before a database is set up there is nothing to filter or page through.
  for (const id of ['team-filters', 'team-table-wrap', 'team-pager']) $(id).hidden = !settings;
  $('team-badge').textContent = settings && status.waiting > 0 ? t('team.badge', { n: status.waiting }) : '';
  if (!settings) {
    notice('team-status', t('team.not_set'), 'info');
    return;
  }
  const lines = [t('team.connected', { ...settings, computer: status.computer })];
  if (status.waiting > 0) lines.push(t('team.waiting', { n: status.waiting }));
  else if (status.lastPushAt) lines.push(t('team.all_pushed', { time: localTime(status.lastPushAt) }));
  if (status.lastError) lines.push(t('team.error', { error: status.lastError }));
  notice('team-status', lines.join(' '), status.lastError ? 'warn' : 'ok');
}

async function save() {
  const port = $('team-port').value.trim();
  const form = {
    host: $('team-host').value,
    port: port ? Number(port) : null,
    database: $('team-database').value,
    user: $('team-user').value,
    password: $('team-password').value || null,
    requireTls: $('team-tls').checked,
  };
  $('team-save').disabled = true;
  notice('team-message', t('team.saving'), 'info');
  try {
    status = await call('save_team', { form });
    renderStatus();
    showForm(false);
    notice('team-message', t('team.saved', status.settings), 'ok');
    reloadTeam();
  } catch (error) {
    notice('team-message', problemText(error), 'error');
  } finally {
    $('team-save').disabled = false;
  }
}

async function forget() {
  try {
    await call('forget_team');
    await refreshStatus();
    showForm(true);
    fill($('team-table').tBodies[0]);
    notice('team-message', t('team.forgotten'), 'ok');
  } catch (error) {
    notice('team-message', problemText(error), 'error');
  }
}

async function pushNow() {
  $('team-push').disabled = true;
  try {
    const pushed = await call('push_team');
    if (pushed) notice('team-message', t('team.pushed', { n: pushed.sent }), 'ok');
    await refreshStatus();
    reloadTeam();
  } catch (error) {
    notice('team-message', problemText(error), 'error');
    await refreshStatus();
  } finally {
    $('team-push').disabled = !status?.settings;
  }
}

export async function reloadTeam() {
  if (!status?.settings) return;
  cursors = [null];
  try {
    const names = await call('team_names');
    fillChoices($('team-computer'), names.computers);
    fillChoices($('team-operator'), names.operators);
    fillChoices($('team-account'), names.accounts);
  } catch (error) {
    notice('team-message', problemText(error), 'error');
  }
  await load();
}

async function load() {
  try {
    records = await call('team_page', { filter: filter(), before: cursors[cursors.length - 1] });
  } catch (error) {
    notice('team-message', problemText(error), 'error');
    records = [];
  }
  render();
}

export function render() {
  renderStatus();
  const rows = records.map((record) => {
    const row = el('tr');
    row.tabIndex = 0;
    const account = el('td', record.accountName);
    if (record.demo) account.append(el('span', t('demo.tag'), 'tag'));
    row.append(
      el('td', localTime(record.startedAt), 'nowrap'),
      el('td', record.computer),
      el('td', record.operator),
      el('td', t(`action.${record.action}`)),
      account,
      el('td', record.prefix, 'mono wrap'),
      el('td', t(`status.${record.status}`), `status ${record.status}`),
      el('td', record.errcode ?? '—', 'mono'),
    );
    const open = () => showRecord(record, record.computer);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter') open(); });
    return row;
  });
  fill($('team-table').tBodies[0], ...rows);
  $('team-empty').hidden = records.length > 0 || !status?.settings;
  $('team-page-label').textContent = t('history.page', { n: cursors.length });
  $('team-newer').disabled = cursors.length <= 1;
  $('team-older').disabled = records.length < 50;
}

async function exportCsv() {
  $('team-export').disabled = true;
  try {
    const result = await call('export_team_history', { filter: filter() });
    if (result) notice('team-message', t('team.exported', { n: result.records, path: result.path }), 'ok');
  } catch (error) {
    notice('team-message', problemText(error), 'error');
  } finally {
    $('team-export').disabled = !status?.settings;
  }
}

/** Every installation's chain on the server, in words: one line each. */
async function verify() {
  $('team-verify').disabled = true;
  try {
    const report = await call('verify_team');
    const lines = report.installations.map((check) => {
      const who = `${check.computer} (${check.installationId.slice(0, 8)})`;
      const fine = !check.altered.length && !check.gaps.length && !check.forged.length && !check.conflicts;
      const signed = check.signed
        ? (check.unsigned ? t('team.verify.signed_some', { n: check.unsigned }) : t('team.verify.signed'))
        : t('team.verify.unsigned');
      if (fine) return `${t('team.verify.intact', { who, n: check.records })} ${signed}`;
      const parts = [t('team.verify.altered_head', { who })];
      if (check.altered.length) parts.push(t('team.verify.changed', { ids: check.altered.join(', ') }));
      if (check.forged.length) parts.push(t('team.verify.forged', { ids: check.forged.join(', ') }));
      if (check.conflicts) parts.push(t('team.verify.conflicts', { n: check.conflicts }));
      if (check.gaps.length) {
        parts.push(t('team.verify.removed', { ranges: check.gaps.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ') }));
      }
      return parts.join(' ');
    });
    const local = report.local;
    if (local && local.onServer < local.pushed) {
      lines.push(t('team.verify.local_removed', { from: local.onServer + 1, to: local.pushed }));
    }
    if (local && local.foreign.length) lines.push(t('team.verify.local_foreign', { n: local.foreign.length }));
    const intact = report.installations.every((c) => !c.altered.length && !c.gaps.length && !c.forged.length && !c.conflicts)
      && !(local && (local.onServer < local.pushed || local.foreign.length));
    notice('team-message', lines.length ? lines.join('\n') : t('team.verify.empty'), intact ? 'ok' : 'error');
  } catch (error) {
    notice('team-message', problemText(error), 'error');
  } finally {
    $('team-verify').disabled = !status?.settings;
  }
}

/** The team history, on the History screen. */
export const screen = { view: 'history', init: initTeam, render, shown: refreshStatus };
