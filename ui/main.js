// Start-up and navigation. Each screen lives in its own module.

import { call } from './api.js';
import { apply, lang, setLang, t } from './i18n.js';
import { app } from './state.js';
import { accountChanged, screen as deleteScreen } from './delete.js';
import { screen as history } from './history.js';
import { screen as team } from './team.js';
import { renderAccounts, screen as accounts } from './accounts.js';
import { loadUnfinished, screen as batch } from './batch.js';
import { screen as restore } from './restore.js';
import { screen as ruleLife } from './rules.js';
import { screen as owners } from './owners.js';
import { renderPrinted, screen as lookup } from './lookup.js';
import { screen as fromBackup } from './frombackup.js';
import { screen as about } from './about.js';
import { screen as updates } from './update.js';
import { onEscape } from './dialog.js';
import { initZoom } from './zoom.js';
import { markChosen, rovingKeys } from './roving.js';

const $ = (id) => document.getElementById(id);

/** Every screen and dialog module: `init` once at start, `render` again in
 *  the other language, `shown` each time its tab (`view`) is chosen, and
 *  for each of its dialogs (by id) what Escape does. */
const SCREENS = [deleteScreen, ruleLife, batch, restore, fromBackup, history, team, lookup, owners, accounts, about, updates];

function show(view) {
  const tabs = [...document.querySelectorAll('.tab')];
  for (const tab of tabs) {
    tab.classList.toggle('active', tab.dataset.view === view);
  }
  markChosen(tabs, tabs.find((tab) => tab.dataset.view === view), 'aria-selected');
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== `view-${view}`;
  }
  for (const screen of SCREENS) {
    if (screen.view === view) screen.shown?.();
  }
}

/** Lists the accounts (or takes the list already asked for) and picks one. */
async function loadAccounts(select, listed = call('list_accounts')) {
  app.accounts = await listed;
  const options = app.accounts.map((account) => {
    const option = document.createElement('option');
    option.value = account.id;
    option.textContent = account.name;
    return option;
  });
  // A new element each time: WebKit sends no change event when the admin
  // picks the account last picked by hand after the page chose another,
  // and the app would act with an account the picker no longer shows. A
  // fresh select has no such memory. Its change listener is on the document.
  const picker = $('account-select').cloneNode(false);
  picker.replaceChildren(...options);
  $('account-select').replaceWith(picker);
  // The demo is chosen only while no real account exists.
  const real = app.accounts.filter((a) => !a.demo);
  const keep = app.accounts.some((a) => a.id === select) ? select : null;
  app.accountId = keep ?? (app.accounts.some((a) => a.id === app.accountId) ? app.accountId : (real[0] ?? app.accounts[0]).id);
  picker.value = app.accountId;
  renderAccounts();
  selectionChanged();
}

function selectionChanged() {
  $('demo-banner').hidden = !app.account()?.demo;
  accountChanged();
  renderPrinted();
}

async function switchLanguage() {
  const next = lang() === 'zh-CN' ? 'en' : 'zh-CN';
  // First, so that what Rust says from now on is in the new language; a
  // folder that cannot be written keeps it for this session only.
  await call('set_language', { lang: next }).catch(() => {});
  setLang(next);
  $('lang-toggle').textContent = next === 'zh-CN' ? 'English' : '中文';
  for (const screen of SCREENS) screen.render?.();
  // What in IT's policy did not hold is worded by Rust: asked again.
  app.info = await call('app_info').catch(() => app.info);
  renderPolicy();
}

/** What IT's policy fixed (About), and what in it did not hold (a banner). */
function renderPolicy() {
  const policy = app.info.policy;
  const lines = [
    ['apiBase', 'policy.api_base'],
    ['tokenServerUrl', 'policy.token_server'],
    ['proxyUrl', 'policy.proxy'],
    ['teamDatabaseUrl', 'policy.team'],
    ['updateUrl', 'policy.update_url'],
  ].filter(([key]) => policy[key]).map(([key, label]) => t(label, { value: policy[key] }));
  if (policy.showDemo === false) lines.push(t('policy.no_demo'));
  if (policy.updates != null) lines.push(t(policy.updates ? 'policy.updates.on' : 'policy.updates.off'));
  if (lines.length && policy.locked) lines.push(t('policy.locked'));
  if (lines.length) lines.unshift(t('policy.source', { source: policy.source }));
  $('about-policy').textContent = lines.length ? lines.join('\n') : t('policy.none');
  const problems = app.info.policyProblems;
  $('policy-banner').textContent = problems.length ? `${t('policy.problems')}\n${problems.join('\n')}` : '';
  $('policy-banner').hidden = problems.length === 0;
}

async function start() {
  // Both questions at once: the first screen waits for the slower only.
  const listed = call('list_accounts');
  app.info = await call('app_info');
  setLang(app.info.lang);
  $('lang-toggle').textContent = app.info.lang === 'zh-CN' ? 'English' : '中文';
  $('about-version').textContent = app.info.version;
  $('about-data-dir').textContent = app.info.dataDir;
  $('about-api-base').textContent = app.info.apiBase;
  $('session-banner').hidden = app.info.keyringAvailable;
  renderPolicy();
  $('readonly-banner').hidden = app.info.writable;
  // Nothing could be recorded, so nothing may be sent: say why, up front.
  if (!app.info.writable) {
    $('delete-button').disabled = true;
    $('delete-button').title = t('readonly.banner');
  }
  if (!app.info.keyringAvailable) $('account-secret-help').dataset.i18n = 'accounts.secret.help.session';
  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => show(tab.dataset.view));
  }
  rovingKeys(document.querySelector('[role=tablist]'), '.tab', (tab) => show(tab.dataset.view));
  initZoom();
  $('lang-toggle').addEventListener('click', switchLanguage);
  document.addEventListener('change', (event) => {
    if (event.target.id !== 'account-select') return;
    app.accountId = event.target.value;
    selectionChanged();
  });
  // A file dropped anywhere but the code lookup must not replace the page
  // (WebKit and WebView2 open a dropped file as a new page). The lookup's
  // own handlers run first and take its drops.
  for (const type of ['dragover', 'drop']) {
    document.addEventListener(type, (event) => event.preventDefault());
  }
  for (const screen of SCREENS) {
    screen.init({ loadAccounts });
    for (const [id, close] of Object.entries(screen.dialogs ?? {})) onEscape($(id), close);
  }
  apply(document);
  await loadAccounts(null, listed);
  loadUnfinished();
}

// Module scripts run once the document is parsed, so the page is ready to
// paint. (requestAnimationFrame would never fire: a hidden window gets no frames.)
start().finally(() => call('ui_ready'));
