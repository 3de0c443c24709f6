// Token servers: the company's central token server or a third-party
// platform's, defined once and shared by accounts; and adding many
// accounts on one from a list of AppIDs.

import { call, choice, choose, el, fill, notice, problem } from './api.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);
let list = [];
let onChange = async () => {};

/** Where the token and its lifetime are, for the answer shapes in use. */
const PRESETS = {
  plain: ['/access_token', '/expires_in'],
  code_data: ['/data/access_token', '/data/expires_in'],
  data_camel: ['/data/accessToken', ''],
  text: ['text', ''],
};

export function servers() {
  return list;
}

export function initServers(changed) {
  onChange = changed;
  $('server-preset').addEventListener('change', presetChanged);
  const typed = () => choose('server-preset', presetOf($('server-pointer').value, $('server-expires').value));
  $('server-pointer').addEventListener('input', typed);
  $('server-expires').addEventListener('input', typed);
  $('server-form').addEventListener('submit', save);
  $('server-cancel').addEventListener('click', resetForm);
  $('bulk-form').addEventListener('submit', addMany);
}

function presetChanged() {
  const preset = PRESETS[choice('server-preset')];
  if (!preset) return;
  [$('server-pointer').value, $('server-expires').value] = preset;
}

function presetOf(pointer, expires) {
  const found = Object.entries(PRESETS).find(([, [p, e]]) => p === pointer && e === (expires ?? ''));
  return found ? found[0] : 'custom';
}

export async function loadServers() {
  list = await call('list_servers');
  renderServers();
  return list;
}

export function renderServers() {
  const items = list.map((server) => {
    const item = el('li', '', 'account');
    item.dataset.server = server.id;
    const head = el('div', '', 'account-head');
    head.append(el('strong', server.name));
    if (server.platform) head.append(el('span', t('kind.token_server'), 'muted small'));
    item.append(head);
    const facts = [server.url, t('servers.accounts', { n: server.accounts })];
    if (server.storage) facts.push(t(`servers.storage.${server.storage}`));
    item.append(el('div', facts.join(' · '), 'muted small'));
    // IT's policy defines it: said; only its header's value is the admin's.
    if (server.fromPolicy) {
      item.append(el('p', t('servers.policy'), 'help'));
      if (!server.headerName) return item;
    }
    const buttons = el('div', '', 'actions');
    const edit = el('button', t('accounts.edit.button'), 'ghost small');
    edit.type = 'button';
    edit.addEventListener('click', () => startEdit(server));
    const remove = el('button', t('accounts.remove'), 'ghost small danger-text');
    remove.type = 'button';
    remove.addEventListener('click', () => removeServer(server));
    buttons.append(edit);
    if (!server.fromPolicy) buttons.append(remove);
    item.append(buttons);
    return item;
  });
  if (!items.length) items.push(el('li', t('servers.none'), 'muted small'));
  fill($('server-list'), ...items);
  const options = list.map((server) => {
    const option = el('option', server.name);
    option.value = server.id;
    return option;
  });
  const keep = $('bulk-server').value;
  fill($('bulk-server'), ...options);
  if (list.some((s) => s.id === keep)) $('bulk-server').value = keep;
  // Adding accounts on a server needs one first.
  $('bulk-section').hidden = !list.length;
}

function resetForm() {
  $('server-form').reset();
  $('server-id').value = '';
  $('server-error').hidden = true;
  $('server-form-title').textContent = t('servers.add');
  lockFields(false);
  presetChanged();
}

function startEdit(server) {
  resetForm();
  $('server-id').value = server.id;
  $('server-name').value = server.name;
  $('server-url').value = server.url;
  $('server-method').value = server.method;
  $('server-pointer').value = server.tokenPointer;
  $('server-expires').value = server.expiresPointer ?? '';
  choose('server-preset', presetOf(server.tokenPointer, server.expiresPointer));
  $('server-header-name').value = server.headerName ?? '';
  $('server-stale').value = server.staleParam ?? '';
  $('server-platform').checked = server.platform;
  $('server-form-title').textContent = t('servers.edit');
  lockFields(server.fromPolicy);
  (server.fromPolicy ? $('server-header-value') : $('server-name')).focus();
}

/** A server IT's policy defines: every field but the header's value is policy's. */
function lockFields(locked) {
  for (const id of ['server-name', 'server-url', 'server-method', 'server-pointer', 'server-expires', 'server-header-name', 'server-stale', 'server-platform']) {
    $(id).disabled = locked;
  }
  for (const radio of document.querySelectorAll('input[name="server-preset"]')) radio.disabled = locked;
}

function note(text, kind) {
  notice('server-result', text, kind);
}

async function save(event) {
  event.preventDefault();
  const server = {
    id: $('server-id').value || null,
    name: $('server-name').value,
    url: $('server-url').value,
    method: $('server-method').value,
    tokenPointer: $('server-pointer').value,
    expiresPointer: $('server-expires').value,
    headerName: $('server-header-name').value,
    headerValue: $('server-header-value').value,
    staleParam: $('server-stale').value,
    platform: $('server-platform').checked,
  };
  try {
    const saved = await call('save_server', { server });
    resetForm();
    note(t('servers.saved', { name: saved.name }) + (saved.storage === 'session' ? ` ${t('accounts.secret.session')}` : ''), 'ok');
    await loadServers();
    await onChange();
  } catch (error) {
    $('server-error').textContent = problem(error).message;
    $('server-error').hidden = false;
  }
}

async function removeServer(server) {
  if (!window.confirm(t('servers.remove.confirm', { name: server.name }))) return;
  try {
    await call('remove_server', { id: server.id });
    await loadServers();
    await onChange();
  } catch (error) {
    const p = problem(error);
    note(`${p.message} ${p.hint || ''}`, 'error');
  }
}

async function addMany(event) {
  event.preventDefault();
  $('bulk-error').hidden = true;
  try {
    const done = await call('add_on_server', {
      server: $('bulk-server').value,
      serves: $('bulk-serves').value,
      appids: $('bulk-appids').value,
    });
    let text = t('bulk.done', { added: done.added.length });
    if (done.skipped.length) text += t('bulk.skipped', { n: done.skipped.length, list: done.skipped.join(', ') });
    note(text, 'ok');
    $('bulk-appids').value = '';
    await loadServers();
    await onChange();
  } catch (error) {
    const p = problem(error);
    $('bulk-error').textContent = `${p.message} ${p.hint || ''}`;
    $('bulk-error').hidden = false;
  }
}
