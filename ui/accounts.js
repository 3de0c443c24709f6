// The accounts screen: list, add/edit, test connection, remove.

import { call, el, fill, localTime, problem } from './api.js';
import { t } from './i18n.js';
import { app } from './state.js';

const $ = (id) => document.getElementById(id);
let onChange = () => {};

export function initAccounts(changed) {
  onChange = changed;
  $('account-kind').addEventListener('change', kindChanged);
  $('account-form').addEventListener('submit', save);
  $('account-cancel').addEventListener('click', resetForm);
  kindChanged();
}

function kindChanged() {
  const token = $('account-kind').value === 'access_token';
  $('account-appid-field').hidden = token;
  $('account-expiry-field').hidden = !token;
  $('account-secret-label').textContent = token ? t('accounts.token') : 'AppSecret';
}

function resetForm() {
  $('account-form').reset();
  $('account-id').value = '';
  $('account-error').hidden = true;
  $('account-form-title').textContent = t('accounts.add');
  kindChanged();
}

export function renderAccounts() {
  const items = app.accounts.map((account) => {
    const item = el('li', '', 'account');
    const head = el('div', '', 'account-head');
    head.append(el('strong', account.name));
    if (account.demo) head.append(el('span', t('demo.tag'), 'tag'));
    else head.append(el('span', t(`kind.${account.kind}`), 'muted small'));
    item.append(head);
    const facts = [];
    if (account.appid) facts.push(`AppID ${account.appid}`);
    if (account.demo) facts.push(t('accounts.demo.note'));
    if (account.tokenExpiresAt) {
      const expired = new Date(account.tokenExpiresAt) < new Date();
      facts.push(t(expired ? 'accounts.expired' : 'accounts.expires', { t: localTime(account.tokenExpiresAt) }));
    }
    if (account.storage) facts.push(t(`accounts.storage.${account.storage}`));
    item.append(el('div', facts.join(' · '), 'muted small'));
    const buttons = el('div', '', 'actions');
    const test = el('button', t('accounts.test'), 'ghost small');
    test.type = 'button';
    test.dataset.test = account.id;
    test.addEventListener('click', () => testConnection(account, test));
    buttons.append(test);
    if (!account.demo) {
      const edit = el('button', t('accounts.edit.button'), 'ghost small');
      edit.type = 'button';
      edit.addEventListener('click', () => startEdit(account));
      const remove = el('button', t('accounts.remove'), 'ghost small danger-text');
      remove.type = 'button';
      remove.addEventListener('click', () => removeAccount(account));
      buttons.append(edit, remove);
    }
    item.append(buttons);
    return item;
  });
  fill($('account-list'), ...items);
}

function startEdit(account) {
  $('account-id').value = account.id;
  $('account-name').value = account.name;
  $('account-kind').value = account.kind;
  $('account-appid').value = account.appid ?? '';
  $('account-secret').value = '';
  $('account-form-title').textContent = t('accounts.edit');
  kindChanged();
}

function note(text, kind) {
  $('account-test-result').textContent = text;
  $('account-test-result').className = `notice ${kind}`;
  $('account-test-result').hidden = !text;
}

async function save(event) {
  event.preventDefault();
  const expiry = $('account-expiry').value;
  const account = {
    id: $('account-id').value || null,
    name: $('account-name').value,
    kind: $('account-kind').value,
    appid: $('account-appid').value,
    secret: $('account-secret').value,
    tokenExpiresAt: expiry ? new Date(expiry).toISOString() : null,
  };
  try {
    const saved = await call('save_account', { account });
    resetForm();
    note(t('accounts.saved', { name: saved.name }) + (saved.storage === 'session' ? ` ${t('accounts.secret.session')}` : ''), 'ok');
    await onChange(saved.id);
  } catch (error) {
    $('account-error').textContent = problem(error).message;
    $('account-error').hidden = false;
  }
}

async function removeAccount(account) {
  if (!window.confirm(t('accounts.remove.confirm', { name: account.name }))) return;
  try {
    await call('remove_account', { id: account.id });
    await onChange(null);
  } catch (error) {
    note(problem(error).message, 'error');
  }
}

async function testConnection(account, button) {
  button.disabled = true;
  button.textContent = t('accounts.testing');
  try {
    const report = await call('test_account', { id: account.id });
    note(`${account.name}: ${report.message}`, 'ok');
  } catch (error) {
    const p = problem(error);
    const code = p.errcode != null ? ` (errcode ${p.errcode}: ${p.errmsg})` : '';
    note(`${account.name}: ${p.message}${code} ${p.hint || ''}`, 'error');
  } finally {
    button.disabled = false;
    button.textContent = t('accounts.test');
  }
}
