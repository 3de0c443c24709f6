// Start-up and navigation. Each screen lives in its own module.

import { call } from './api.js';
import { apply, lang, setLang, t } from './i18n.js';
import { app } from './state.js';
import { screen as deleteScreen } from './delete.js';
import { screen as batch, loadUnfinished } from './batch.js';
import { screen as ruleLife } from './rules.js';
import { screen as fromBackup } from './frombackup.js';
import { onEscape } from './dialog.js';
import { initZoom } from './zoom.js';
import { markChosen, rovingKeys } from './roving.js';

const $ = (id) => document.getElementById(id);

/** The screen and dialog modules started so far. Each has `init`, run
 *  once; `render`, again in the other language; `shown`, each time its
 *  tab (`view`) is chosen; `accountsLoaded` and `accountChosen`, when the
 *  account list or the chosen account changes; and for each of its
 *  dialogs (by id) what Escape does. */
const SCREENS = [];

/** The first screen's modules come with the page. The other tabs' modules
 *  load once the window shows, or at once when their tab is chosen first:
 *  the window appears without waiting for screens not yet looked at. */
const LATER = {
  lookup: () => [import('./lookup.js')],
  history: () => [import('./history.js'), import('./restore.js'), import('./team.js')],
  accounts: () => [import('./accounts.js'), import('./owners.js')],
  about: () => [import('./about.js'), import('./update.js')],
};
const started = {};

function startScreen(screen) {
  screen.init({ loadAccounts });
  for (const [id, close] of Object.entries(screen.dialogs ?? {})) onEscape($(id), close);
  SCREENS.push(screen);
}

/** Starts the modules of tab `view` (once; a promise of when they are). */
function startLater(view) {
  started[view] ??= Promise.all(LATER[view]()).then((modules) => {
    for (const module of modules) {
      startScreen(module.screen);
      // What it set up is shown in the current language and account.
      module.screen.accountsLoaded?.();
      module.screen.accountChosen?.();
    }
    apply(document);
  });
  return started[view];
}

let wanted = 'delete';

async function show(view) {
  wanted = view;
  if (LATER[view]) await startLater(view);
  // Another tab chosen while this one's modules loaded: that one wins.
  if (wanted !== view) return;
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
  for (const screen of SCREENS) screen.accountsLoaded?.();
  selectionChanged();
}

function selectionChanged() {
  $('demo-banner').hidden = !app.account()?.demo;
  for (const screen of SCREENS) screen.accountChosen?.();
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
  for (const screen of [deleteScreen, ruleLife, batch, fromBackup]) startScreen(screen);
  apply(document);
  await loadAccounts(null, listed);
  loadUnfinished();
}

// Module scripts run once the document is parsed, so the page is ready to
// paint. (requestAnimationFrame would never fire: a hidden window gets no frames.)
start()
  .finally(() => call('ui_ready'))
  .finally(() => {
    for (const view of Object.keys(LATER)) startLater(view);
  });
