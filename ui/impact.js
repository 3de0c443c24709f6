// What a delete does to printed codes, in its confirmation (single and
// batch): how many of the account's printed codes stop opening the Mini
// Program and how many move to another rule, with the lists.

import { el, fill } from './api.js';
import { t } from './i18n.js';

function list(summary, items) {
  const details = el('details');
  const ul = el('ul', '', 'mono');
  ul.append(...items.map((item) => el('li', item)));
  details.append(el('summary', summary), ul);
  return details;
}

/** Shows `impact` (from `delete_impact` or a batch plan) in `container`. */
export function renderImpact(container, impact) {
  if (!impact || impact.codes === 0) {
    fill(container, el('p', t('impact.no_list'), 'help'));
    return;
  }
  const parts = [];
  const broken = impact.broken.length;
  const moved = impact.moved.length;
  parts.push(el('p', t('impact.counts', { n: impact.codes, broken, moved }), broken ? 'strong danger-text' : 'strong'));
  if (broken) parts.push(list(t('impact.broken', { n: broken }), impact.broken));
  if (moved) {
    parts.push(list(t('impact.moved', { n: moved }), impact.moved.map((m) => `${m.code} → ${m.to} (${m.path})`)));
  }
  fill(container, ...parts);
}

/** Where the codes under `prefix` go, in a few words, for a batch's list. */
export function goesTo(impact, prefix) {
  const over = impact?.takesOver.find((o) => o.prefix === prefix)?.rule;
  return over ? t('impact.moves_to', { prefix: over.prefix }) : t('impact.stops');
}
