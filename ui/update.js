// Updates: the feed's offer in a banner, the notes and "Download and install"
// in a dialog, and "Check for updates" on the About screen. Rust chooses
// the feed, checks the signature and runs the installer; the page only
// says what happened.

import { call, channel, notice, problemText } from './api.js';
import { t } from './i18n.js';
import { app } from './state.js';
import { closeDialog, openDialog } from './dialog.js';

const $ = (id) => document.getElementById(id);
const DAY = 24 * 60 * 60 * 1000;

/** The newer version the last check found ({version, current, notes, date}). */
let offer = null;
/** A refusal seen by a check the admin did not ask for. */
let refusal = null;
let installing = false;

function renderSettings() {
  const settings = app.info.updates;
  let text;
  if (settings.offByPolicy) text = t('updates.off');
  else if (!settings.feed) text = t('updates.none');
  else text = t('updates.auto', { feed: settings.feed }) + (settings.feedLocked ? `\n${t('updates.locked')}` : '');
  $('about-updates').textContent = text;
  $('check-update').disabled = settings.offByPolicy || !settings.feed;
}

function renderBanner() {
  const banner = $('update-banner');
  if (offer) {
    $('update-banner-text').textContent = t('update.available', offer);
    $('update-open').hidden = false;
    banner.classList.remove('warn');
  } else if (refusal) {
    $('update-banner-text').textContent = t('update.refused', { message: refusal });
    $('update-open').hidden = true;
    banner.classList.add('warn');
  }
  banner.hidden = !offer && !refusal;
}

function renderDialog() {
  if (!offer) return;
  $('update-title').textContent = t('update.title', offer);
  $('update-facts').textContent = [t('update.facts', offer), offer.date ? t('update.date', { date: offer.date.slice(0, 10) }) : ''].join(' ').trim();
  $('update-notes').textContent = offer.notes || t('update.no_notes');
}

/** Asks the feed; `asked`: the admin pressed the button (say everything). */
async function check(asked) {
  if (asked) notice('update-note', t('update.checking'));
  const found = await call('check_update');
  switch (found.state) {
    case 'newer':
      offer = found;
      refusal = null;
      if (asked) notice('update-note', t('update.available', found), 'ok');
      break;
    case 'up_to_date':
      if (asked) notice('update-note', t('update.newest', found), 'ok');
      break;
    case 'older':
      if (asked) notice('update-note', t('update.older', found), 'warn');
      break;
    default:
      if (asked) notice('update-note', problemText(found.problem), 'error');
      else if (found.refused) refusal = problemText(found.problem);
  }
  renderBanner();
  if (asked && offer && found.state === 'newer') openOffer();
}

function openOffer() {
  renderDialog();
  $('update-status').hidden = true;
  $('update-command').hidden = true;
  $('update-copy').hidden = true;
  $('update-install').hidden = false;
  $('update-install').disabled = false;
  openDialog($('update'));
  $('update-install').focus();
}

async function install() {
  if (!offer || installing) return;
  installing = true;
  $('update-install').disabled = true;
  notice('update-status', t('update.downloading'));
  const bar = $('update-progress');
  bar.removeAttribute('value');
  bar.hidden = false;
  // While it downloads, "Later" (and Escape) cancels it.
  $('update-later').textContent = t('update.cancel');
  try {
    const done = await call('install_update', { version: offer.version, onProgress: channel(showProgress) });
    if (done.kind === 'run') {
      notice('update-status', t('update.run', done), 'ok');
      $('update-command').textContent = done.command;
      $('update-command').hidden = false;
      $('update-copy').hidden = false;
    } else {
      notice('update-status', t(done.kind === 'done' ? 'update.done' : 'update.handed', done), 'ok');
    }
    $('update-install').hidden = true;
  } catch (error) {
    notice('update-status', problemText(error), error?.kind === 'cancelled' ? 'info' : 'error');
    $('update-install').disabled = false;
  } finally {
    installing = false;
    bar.hidden = true;
    $('update-later').textContent = t('update.later');
    $('update-later').disabled = false;
  }
}

/** The download's progress ({received, total} in bytes), as it comes. */
function showProgress({ received, total }) {
  const size = (bytes) => (bytes < 1 << 20 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1 << 20)).toFixed(1)} MB`);
  const bar = $('update-progress');
  if (total && received >= total) {
    bar.value = 100;
    notice('update-status', t('update.verifying'));
    // Downloaded: what follows cannot be cancelled.
    $('update-later').disabled = true;
  } else if (total) {
    const percent = Math.floor((received * 100) / total);
    bar.value = percent;
    notice('update-status', t('update.progress', { received: size(received), total: size(total), percent }));
  } else {
    notice('update-status', t('update.progress_unknown', { received: size(received) }));
  }
}

async function copyCommand() {
  const command = $('update-command').textContent;
  try {
    await navigator.clipboard.writeText(command);
  } catch {
    const range = document.createRange();
    range.selectNodeContents($('update-command'));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.execCommand('copy');
  }
  notice('update-status', t('update.copied'), 'ok');
}

function closeUpdate() {
  if (installing) call('cancel_update').catch(() => {});
  else closeDialog($('update'));
}

function initUpdate() {
  $('check-update').addEventListener('click', () => check(true));
  $('update-open').addEventListener('click', openOffer);
  $('update-install').addEventListener('click', install);
  $('update-later').addEventListener('click', closeUpdate);
  $('update-copy').addEventListener('click', copyCommand);
  renderSettings();
  if (app.info.updates.automatic) {
    // After the first screen: the check never delays it.
    setTimeout(() => check(false), 2000);
    setInterval(() => check(false), DAY);
  }
}

function render() {
  renderSettings();
  renderBanner();
  renderDialog();
}

export const screen = { init: initUpdate, render, dialogs: { update: closeUpdate } };
