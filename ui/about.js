// The About screen's help for IT: copy the diagnostics, open the data folder.

import { call, problemText } from './api.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

export function initAbout() {
  $('copy-diagnostics').addEventListener('click', copyDiagnostics);
  $('open-data-folder').addEventListener('click', openDataFolder);
}

function note(text, kind) {
  $('support-note').textContent = text;
  $('support-note').className = `notice ${kind}`;
  $('support-note').hidden = false;
}

async function copyDiagnostics() {
  let text;
  try {
    text = await call('diagnostics');
  } catch (error) {
    note(problemText(error), 'error');
    return;
  }
  const area = $('diagnostics');
  area.value = text;
  area.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    note(t('support.copied'), 'ok');
  } catch {
    // Some webviews refuse the clipboard API: the selected text and the
    // copy command still work.
    area.focus();
    area.select();
    const copied = document.execCommand('copy');
    note(t(copied ? 'support.copied' : 'support.select'), copied ? 'ok' : 'error');
  }
}

async function openDataFolder() {
  try {
    const dir = await call('open_data_folder');
    note(t('support.opened', { dir }), 'ok');
  } catch (error) {
    note(problemText(error), 'error');
  }
}

export const screen = { init: initAbout };
