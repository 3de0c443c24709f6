// "Which rule does this printed code hit?": links typed, images dropped,
// pasted or chosen, each looked up in every account's rule list; and the
// current account's list of printed codes.

import { announce, call, el, fill, localTime, notice, problemText } from './api.js';
import { t } from './i18n.js';
import { app } from './state.js';

const $ = (id) => document.getElementById(id);
const { invoke } = window.__TAURI__.core;
let busy = false;
// The last answer, kept to render again in the other language.
let last = null;

export function initLookup() {
  $('lookup-run').addEventListener('click', lookupTyped);
  $('lookup-pick').addEventListener('click', pickImages);
  const drop = $('lookup-drop');
  drop.addEventListener('click', pickImages);
  drop.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pickImages();
    }
  });
  // The whole screen takes a drop, so a near miss is not lost.
  const view = $('view-lookup');
  view.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  view.addEventListener('dragleave', (event) => {
    if (!view.contains(event.relatedTarget)) drop.classList.remove('over');
  });
  view.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    lookupImages([...(event.dataTransfer?.files ?? [])]);
  });
  // A pasted screenshot; pasted text goes into the box as usual.
  document.addEventListener('paste', (event) => {
    if (view.hidden) return;
    const images = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (images.length === 0) return;
    event.preventDefault();
    lookupImages(images);
  });
  $('printed-import').addEventListener('click', () => importPrinted(false));
  $('printed-folder').addEventListener('click', () => importPrinted(true));
  $('printed-forget').addEventListener('click', forgetPrinted);
}

function setBusy(on) {
  busy = on;
  $('lookup-busy').hidden = !on;
  for (const id of ['lookup-run', 'lookup-pick']) $(id).disabled = on;
}

async function lookupTyped() {
  const links = $('lookup-links').value.split(/\s+/).filter(Boolean);
  if (links.length === 0) {
    notice('lookup-message', t('lookup.empty'), 'error');
    $('lookup-links').focus();
    return;
  }
  const bad = links.find((l) => !l.includes('://'));
  if (bad) {
    notice('lookup-message', t('lookup.not_link', { text: bad }), 'error');
    $('lookup-links').focus();
    return;
  }
  await lookUp(links.map((url) => ({ label: url, url })));
}

/** Reads the codes in dropped or pasted image files, then looks them up. */
async function lookupImages(files) {
  if (busy) return;
  if (files.length === 0) return;
  const inputs = [];
  const failed = [];
  setBusy(true);
  notice('lookup-message', t('lookup.reading', { n: files.length }));
  for (const file of files) {
    const label = file.name || t('lookup.pasted');
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const links = await invoke('read_image_codes', bytes);
      if (links.length === 0) inputs.push({ label, url: null });
      for (const url of links) inputs.push({ label, url });
    } catch (error) {
      failed.push(`${label}: ${problemText(error)}`);
    }
  }
  setBusy(false);
  await lookUp(inputs, failed);
}

async function pickImages() {
  if (busy) return;
  setBusy(true);
  let read;
  try {
    read = await call('pick_code_images');
  } finally {
    setBusy(false);
  }
  if (read.length === 0) return;
  const inputs = [];
  const failed = [];
  for (const image of read) {
    if (image.error) failed.push(`${image.label}: ${image.error}`);
    else if (image.links.length === 0) inputs.push({ label: image.label, url: null });
    else for (const url of image.links) inputs.push({ label: image.label, url });
  }
  await lookUp(inputs, failed);
}

async function lookUp(codes, failed = []) {
  if (codes.length === 0) {
    notice('lookup-message', failed.join(' '), 'error');
    return;
  }
  setBusy(true);
  notice('lookup-message', '');
  try {
    const appid = $('lookup-appid').value.trim() || null;
    last = { answer: await call('lookup_codes', { codes, appid }), failed };
    render();
    $('lookup-results-card').scrollIntoView({ block: 'nearest' });
  } catch (error) {
    notice('lookup-message', problemText(error), 'error');
  } finally {
    setBusy(false);
  }
}

/** One code's answer in words. */
function words(code) {
  if (!code.reason) return t('lookup.reason.no_code');
  const values = {
    prefix: code.rule?.prefix ?? '',
    account: code.whose?.accountName ?? '',
  };
  return t(`lookup.reason.${code.reason}`, values);
}

export function render() {
  if (!last) return;
  const { answer, failed } = last;
  const rows = answer.codes.map((code) => {
    const row = el('tr');
    row.dataset.reason = code.reason ?? 'no_code';
    const what = el('td', '', 'wrap');
    what.append(el('div', code.url ?? '', 'mono'));
    if (code.label !== code.url) what.append(el('div', code.label, 'muted small'));
    const hit = code.reason === 'match' || code.reason === 'unpublished';
    const kind = code.reason === 'match' ? 'ok' : code.reason === 'unpublished' ? 'warn' : 'bad';
    const result = el('td', '', 'wrap');
    result.append(el('span', t(`lookup.verdict.${code.reason ?? 'no_code'}`), `tag ${kind}`), el('p', words(code), 'small'));
    const whose = el('td', '', 'wrap');
    if (code.whose) {
      const mode = t(`mode.${code.whose.mode}`) + (code.whose.targetAppid ? ` (${code.whose.targetAppid})` : '');
      whose.append(el('div', code.whose.accountName), el('div', mode, 'muted small'));
    }
    const rule = code.rule;
    const state = el('td', '', 'nowrap');
    if (rule) {
      state.append(el('div', t(`state.${rule.state}`)));
      if (rule.open_version) state.append(el('div', t(`range.${rule.open_version}`), 'muted small'));
    }
    row.append(
      what,
      result,
      whose,
      el('td', rule ? (hit ? rule.prefix : t('lookup.nearest', { prefix: rule.prefix })) : '', 'mono wrap'),
      el('td', rule?.path ?? '', 'mono wrap'),
      state,
    );
    return row;
  });
  fill($('lookup-results').tBodies[0], ...rows);
  $('lookup-results-card').hidden = false;
  const opens = answer.codes.filter((c) => c.reason === 'match').length;
  const lines = [t('lookup.summary', { n: answer.codes.length, opens, m: answer.searched.length })];
  for (const s of answer.searched.filter((s) => s.error)) {
    lines.push(t('owner.unreadable', { account: s.accountName, m: s.error }));
  }
  lines.push(...failed);
  notice('lookup-message', lines.join(' '), failed.length || answer.searched.some((s) => s.error) ? 'warn' : 'ok');
  announce(lines[0]);
}

/** The current account's printed codes, in brief. */
async function renderPrinted() {
  const account = app.account();
  if (!account) return;
  let lists = [];
  try {
    lists = await call('printed_codes');
  } catch (error) {
    notice('printed-message', problemText(error), 'error');
  }
  const mine = lists.find((l) => l.accountId === account.id);
  // The file's name reads better than its whole path; the path is the tooltip.
  const source = mine?.source.split(/[\\/]/).filter(Boolean).pop() ?? '';
  $('printed-status').textContent = mine
    ? t('printed.status', { account: account.name, n: mine.codes, source, when: localTime(mine.importedAt) })
    : t('printed.none', { account: account.name });
  $('printed-status').title = mine?.source ?? '';
  $('printed-forget').hidden = !mine;
}

async function importPrinted(folder) {
  const account = app.account();
  if (!account) return;
  notice('printed-message', folder ? t('printed.reading') : '');
  try {
    const imported = await call('import_printed_codes', { accountId: account.id, folder });
    if (!imported) {
      notice('printed-message', '');
      return;
    }
    const lines = [t('printed.imported', { n: imported.codes, account: account.name })];
    if (imported.images) lines.push(t('printed.images', { n: imported.images }));
    if (imported.withoutCode.length) lines.push(t('printed.without_code', { files: imported.withoutCode.join(', ') }));
    if (imported.unreadable.length) lines.push(t('printed.unreadable', { files: imported.unreadable.join(', ') }));
    notice('printed-message', lines.join(' '), imported.withoutCode.length || imported.unreadable.length ? 'warn' : 'ok');
  } catch (error) {
    notice('printed-message', problemText(error), 'error');
  }
  renderPrinted();
}

async function forgetPrinted() {
  const account = app.account();
  if (!account) return;
  try {
    await call('forget_printed_codes', { accountId: account.id });
    notice('printed-message', t('printed.forgotten', { account: account.name }), 'ok');
  } catch (error) {
    notice('printed-message', problemText(error), 'error');
  }
  renderPrinted();
}

/** The Look up a code screen, with the printed codes. */
export const screen = {
  view: 'lookup',
  init: initLookup,
  render: () => {
    render();
    renderPrinted();
  },
  shown: renderPrinted,
  accountChosen: renderPrinted,
};
