// The accounts screen: list, add/edit (with a token server and a route),
// test connection, remove. Token servers themselves: servers.js.

import { call, choice, choose, el, fill, localTime, problem } from './api.js';
import { t } from './i18n.js';
import { initServers, loadServers, renderServers, servers } from './servers.js';
import { app } from './state.js';

const $ = (id) => document.getElementById(id);
let onChange = () => {};

export function initAccounts(changed) {
  onChange = changed;
  $('account-kind').addEventListener('change', kindChanged);
  $('account-route').addEventListener('change', routeChanged);
  $('account-form').addEventListener('submit', save);
  $('account-cancel').addEventListener('click', resetForm);
  initServers(async () => {
    renderServerChoices();
    await onChange(app.accountId);
  });
  kindChanged();
  routeChanged();
  loadServers().then(renderServerChoices);
}

function kindChanged() {
  const kind = choice('account-kind');
  const token = kind === 'access_token';
  const server = kind === 'token_server';
  $('account-server-fields').hidden = !server;
  $('account-appid-field').hidden = token;
  $('account-secret-field').hidden = server;
  $('account-expiry-field').hidden = !token;
  $('account-secret-label').textContent = token ? t('accounts.token') : 'AppSecret';
}

function routeChanged() {
  // IT's proxy: said in the route section; when locked, the route is policy's.
  const policy = app.info?.policy;
  const proxy = policy?.proxyUrl;
  $('account-route-policy').hidden = !proxy;
  $('account-route-policy').textContent = proxy ? t(policy.locked ? 'route.policy.locked' : 'route.policy.default', { url: proxy }) : '';
  for (const radio of document.querySelectorAll('input[name="account-route"]')) radio.disabled = Boolean(proxy && policy.locked);
  $('account-route-url').disabled = Boolean(proxy && policy.locked);
  const route = choice('account-route');
  $('account-route-url-field').hidden = route === 'direct';
  $('account-proxy-fields').hidden = route !== 'proxy';
  $('account-route-url-label').textContent = t(route === 'gateway' ? 'route.gateway.url' : 'route.proxy.url');
  $('account-route-url').placeholder = route === 'gateway' ? 'https://wx-gateway.corp' : 'http://proxy.corp:3128';
}

/** The token server choices of the account form. */
export function renderServerChoices() {
  const list = servers();
  const options = list.map((server) => {
    const option = el('option', server.name);
    option.value = server.id;
    return option;
  });
  if (!options.length) {
    const none = el('option', t('accounts.server.none'));
    none.value = '';
    options.push(none);
  }
  const keep = $('account-server').value;
  fill($('account-server'), ...options);
  if (list.some((s) => s.id === keep)) $('account-server').value = keep;
  kindChanged();
}

function resetForm() {
  $('account-form').reset();
  $('account-id').value = '';
  $('account-error').hidden = true;
  $('account-route-details').open = false;
  $('account-form-title').textContent = t('accounts.add');
  kindChanged();
  routeChanged();
}

function facts(account) {
  const facts = [];
  if (account.appid) facts.push(`AppID ${account.appid}`);
  if (account.demo) facts.push(t(account.kind === 'token_server' ? 'accounts.demo.server' : 'accounts.demo.note'));
  if (account.server && !account.demo) {
    facts.push(t(account.server.platform ? 'accounts.on_platform' : 'accounts.on_server', { name: account.server.name }));
  }
  if (account.serves) facts.push(t(`serves.${account.serves}`));
  if (account.policyProxy) facts.push(t('accounts.route.policy', { url: account.policyProxy }));
  else if (account.route?.kind === 'proxy') facts.push(t('accounts.route.proxy', { url: account.route.url }));
  if (account.route?.kind === 'gateway' && !account.policyProxy) facts.push(t('accounts.route.gateway', { url: account.route.url }));
  if (account.tokenExpiresAt) {
    const expired = new Date(account.tokenExpiresAt) < new Date();
    facts.push(t(expired ? 'accounts.expired' : 'accounts.expires', { t: localTime(account.tokenExpiresAt) }));
  }
  // A token server account's secret is its server's header: listed there.
  if (account.storage && account.kind !== 'token_server') facts.push(t(`accounts.storage.${account.storage}`));
  return facts.join(' · ');
}

function renderAccounts() {
  const items = app.accounts.map((account) => {
    const item = el('li', '', 'account');
    item.dataset.account = account.id;
    const head = el('div', '', 'account-head');
    head.append(el('strong', account.name));
    if (account.demo) head.append(el('span', t('demo.tag'), 'tag'));
    if (account.kind && !account.demo) head.append(el('span', t(`kind.${account.kind}`), 'muted small'));
    item.append(head);
    item.append(el('div', facts(account), 'muted small facts'));
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
  renderServers();
}

function startEdit(account) {
  resetForm();
  $('account-id').value = account.id;
  $('account-name').value = account.name;
  choose('account-kind', account.kind);
  $('account-appid').value = account.appid ?? '';
  $('account-secret').value = '';
  if (account.server) $('account-server').value = account.server.id;
  if (account.serves) $('account-serves').value = account.serves;
  choose('account-route', account.route?.kind ?? 'direct');
  $('account-route-url').value = account.route?.url ?? '';
  $('account-proxy-user').value = account.route?.proxyUser ?? '';
  $('account-route-details').open = (account.route?.kind ?? 'direct') !== 'direct';
  $('account-form-title').textContent = t('accounts.edit');
  kindChanged();
  routeChanged();
}

function note(text, kind) {
  $('account-test-result').textContent = text;
  $('account-test-result').className = `notice explain ${kind}`;
  $('account-test-result').hidden = !text;
}

async function save(event) {
  event.preventDefault();
  const expiry = $('account-expiry').value;
  const kind = choice('account-kind');
  const account = {
    id: $('account-id').value || null,
    name: $('account-name').value,
    kind,
    appid: $('account-appid-field').hidden ? null : $('account-appid').value,
    secret: kind === 'token_server' ? null : $('account-secret').value,
    tokenExpiresAt: expiry ? new Date(expiry).toISOString() : null,
    server: kind === 'token_server' ? $('account-server').value || null : null,
    serves: kind === 'token_server' ? $('account-serves').value : null,
    route: choice('account-route'),
    routeUrl: $('account-route-url').value,
    proxyUser: $('account-proxy-user').value,
    proxyPassword: $('account-proxy-password').value,
  };
  try {
    const saved = await call('save_account', { account });
    resetForm();
    note(t('accounts.saved', { name: saved.name }) + (saved.storage === 'session' ? ` ${t('accounts.secret.session')}` : ''), 'ok');
    await onChange(saved.id);
    await loadServers();
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
    await loadServers();
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
    const code = p.errcode != null ? `\nerrcode ${p.errcode}: ${p.errmsg}` : '';
    note(`${account.name}: ${p.message}${code}\n${p.hint || ''}`, 'error');
  } finally {
    button.disabled = false;
    button.textContent = t('accounts.test');
  }
}

/** The Accounts screen; `loadAccounts` reloads the list everywhere. */
export const screen = {
  view: 'accounts',
  init: ({ loadAccounts }) => initAccounts(loadAccounts),
  render: renderAccounts,
  accountsLoaded: renderAccounts,
};
