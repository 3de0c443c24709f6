// "Which account holds this prefix?": one prefix searched across every
// account's rule list.

import { call, el, fill, notice, problemText } from './api.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

export function initOwners() {
  $('owner-form').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
}

function say(text, kind) {
  notice('owner-message', text, kind);
}

async function search() {
  $('owner-search').disabled = true;
  $('owner-busy').hidden = false;
  say('', 'info');
  try {
    const found = await call('find_owner', { prefix: $('owner-prefix').value, appid: $('owner-appid').value || null });
    const rows = found.holdings.map((h) => {
      const row = el('tr');
      row.dataset.relation = h.relation;
      const mode = t(`mode.${h.mode}`) + (h.targetAppid ? ` (${h.targetAppid})` : '');
      row.append(
        el('td', h.accountName),
        el('td', mode),
        el('td', h.rule.prefix, 'mono wrap'),
        el('td', h.rule.path, 'mono wrap'),
        el('td', t(`owner.relation.${h.relation}`), h.relation === 'exact' ? 'strong' : ''),
      );
      return row;
    });
    fill($('owner-results').tBodies[0], ...rows);
    $('owner-results-wrap').hidden = rows.length === 0;
    const accounts = new Set(found.holdings.map((h) => h.accountName)).size;
    const lines = [found.holdings.length
      ? t('owner.found', { n: accounts, m: found.searched.length })
      : t('owner.none', { m: found.searched.length })];
    for (const s of found.searched.filter((s) => s.error)) {
      lines.push(t('owner.unreadable', { account: s.accountName, m: s.error }));
    }
    say(lines.join(' '), found.holdings.length ? 'ok' : 'info');
    // The answer may be below the fold: bring it into view.
    ($('owner-results-wrap').hidden ? $('owner-message') : $('owner-results-wrap')).scrollIntoView({ block: 'end' });
  } catch (error) {
    $('owner-results-wrap').hidden = true;
    say(problemText(error), 'error');
  } finally {
    $('owner-search').disabled = false;
    $('owner-busy').hidden = true;
  }
}

export const screen = { init: initOwners };
