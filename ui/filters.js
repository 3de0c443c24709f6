// The history's filter fields, defined once for the local history and the
// team's: each form takes the fields it offers, under its own ids, and
// reads them back into the filter its commands take.

import { el, fill } from './api.js';
import { t } from './i18n.js';

const ANY = ['', 'filter.any'];
const choices = (values, prefix) => [ANY, ...values.map((value) => [value, `${prefix}.${value}`])];

/** key → how the field is shown: a label key, and an input type or options
 *  ([value, text key]; an empty list is filled from the data later);
 *  `send`: its name in the filter when not its key. */
const FIELDS = {
  from: { label: 'filter.from', type: 'date' },
  to: { label: 'filter.to', type: 'date', dayEnd: true },
  status: { label: 'filter.status', options: choices(['ok', 'failed', 'unknown', 'pending'], 'status') },
  mode: { label: 'filter.mode', options: choices(['ordinary', 'service_account'], 'mode') },
  action: { label: 'filter.action', options: choices(['delete', 'add', 'edit', 'publish', 'restore', 'check'], 'action') },
  batch: { label: 'filter.batch', type: 'text', size: 'short', send: 'batchId' },
  linked: { label: 'filter.linked', type: 'number', size: 'tiny', send: 'relatedTo' },
  account: { label: 'filter.account', options: [ANY] },
  computer: { label: 'team.computer', options: [ANY] },
  operator: { label: 'team.operator', options: [ANY] },
  text: { label: 'filter.text', type: 'search', grow: true },
};

function field(key, id, leave) {
  const spec = FIELDS[key];
  const label = el('label');
  if (spec.grow) label.className = 'grow';
  const name = el('span');
  name.dataset.i18n = spec.label;
  let control;
  if (spec.options) {
    control = el('select');
    for (const [value, text] of spec.options.filter(([value]) => !leave.includes(value))) {
      const option = el('option');
      option.value = value;
      option.dataset.i18n = text;
      control.append(option);
    }
  } else {
    control = el('input');
    control.type = spec.type;
    if (spec.size) control.className = spec.size;
    if (spec.type === 'text') Object.assign(control, { autocomplete: 'off', spellcheck: false });
    if (spec.type === 'number') Object.assign(control, { min: '1', inputMode: 'numeric' });
    if (spec.type === 'search') control.dataset.i18nPlaceholder = 'filter.text.placeholder';
  }
  control.id = id;
  label.append(name, control);
  return label;
}

/** A date field's local day as an instant with the local offset: the
 *  day's start, or the next day's for the end of a range. */
function day(value, end) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + (end ? 1 : 0)).toISOString();
}

function valueOf(spec, control) {
  if (spec.options) return control.value || null;
  if (spec.type === 'date') return day(control.value, spec.dayEnd);
  if (spec.type === 'number') return Number(control.value) || null;
  return control.value.trim() || null;
}

/** Puts `keys`' fields into `form`, before its buttons; `id(key)` names
 *  each control, `leave` lists option values this form does not offer.
 *  Returns what reads the form into the filter its commands take. */
export function buildFilters(form, keys, id, leave = []) {
  const buttons = form.querySelector('.filter-buttons');
  for (const key of keys) form.insertBefore(field(key, id(key), leave), buttons);
  return () =>
    Object.fromEntries(keys.map((key) => [FIELDS[key].send ?? key, valueOf(FIELDS[key], document.getElementById(id(key)))]));
}

/** Fills a choice field with `names`, "All" first, keeping what was chosen. */
export function fillChoices(select, names) {
  const chosen = select.value;
  const any = el('option', t('filter.any'));
  any.value = '';
  any.dataset.i18n = 'filter.any';
  fill(select, any, ...names.map((name) => {
    const option = el('option', name);
    option.value = name;
    return option;
  }));
  select.value = names.includes(chosen) ? chosen : '';
}
