// Start-up and navigation. Each screen lives in its own module.

import { call } from './api.js';
import { apply, lang, setLang, t } from './i18n.js';
import { app } from './state.js';
import { accountChanged, initDelete, renderRules } from './delete.js';
import { initHistory, reload as reloadHistory, render as renderHistory } from './history.js';
import { initTeam, refreshStatus as refreshTeam, render as renderTeam } from './team.js';
import { initAccounts, renderAccounts } from './accounts.js';
import { batchClosable, closeBatch, initBatch, loadUnfinished } from './batch.js';
import { closeRestore, initRestore, restoreOpen } from './restore.js';
import { initOwners } from './owners.js';
import { initCheck, render as renderCheck, renderPrinted } from './check.js';
import { closeFromBackup, fromBackupOpen, initFromBackup } from './frombackup.js';
import { initAbout } from './about.js';
import { initModals } from './modal.js';
import { initZoom } from './zoom.js';
import { markChosen, rovingKeys } from './roving.js';

const $ = (id) => document.getElementById(id);

function show(view) {
  const tabs = [...document.querySelectorAll('.tab')];
  for (const tab of tabs) {
    tab.classList.toggle('active', tab.dataset.view === view);
  }
  markChosen(tabs, tabs.find((tab) => tab.dataset.view === view), 'aria-selected');
  for (const section of document.querySelectorAll('.view')) {
    section.hidden = section.id !== `view-${view}`;
  }
  if (view === 'history') {
    reloadHistory();
    refreshTeam();
  }
  if (view === 'check') renderPrinted();
}

async function loadAccounts(select) {
  app.accounts = await call('list_accounts');
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
  renderAccounts();
  renderRules();
  renderHistory();
  renderTeam();
  renderCheck();
  renderPrinted();
  loadUnfinished();
}

async function start() {
  app.info = await call('app_info');
  setLang(app.info.lang);
  $('lang-toggle').textContent = app.info.lang === 'zh-CN' ? 'English' : '中文';
  $('about-version').textContent = app.info.version;
  $('about-data-dir').textContent = app.info.dataDir;
  $('about-api-base').textContent = app.info.apiBase;
  $('session-banner').hidden = app.info.keyringAvailable;
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
  initModals();
  initZoom();
  $('lang-toggle').addEventListener('click', switchLanguage);
  document.addEventListener('change', (event) => {
    if (event.target.id !== 'account-select') return;
    app.accountId = event.target.value;
    selectionChanged();
  });
  // A file dropped anywhere but the checker must not replace the page
  // (WebKit and WebView2 open a dropped file as a new page). The checker's
  // own handlers run first and take its drops.
  for (const type of ['dragover', 'drop']) {
    document.addEventListener(type, (event) => event.preventDefault());
  }
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (!$('confirm').hidden) $('confirm-cancel').click();
    else if (batchClosable()) closeBatch();
    else if (restoreOpen()) closeRestore();
    else if (fromBackupOpen()) closeFromBackup();
    else if (!$('detail').hidden) $('detail-close').click();
  });
  initDelete();
  initHistory();
  initTeam();
  initBatch();
  initRestore();
  initOwners();
  initCheck();
  initFromBackup();
  initAccounts(loadAccounts);
  initAbout();
  apply(document);
  await loadAccounts(null);
  loadUnfinished();
}

// Module scripts run once the document is parsed, so the page is ready to
// paint. (requestAnimationFrame would never fire: a hidden window gets no frames.)
start().finally(() => call('ui_ready'));
