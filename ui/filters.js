// The history's filter fields, defined once for the local history and the
// team's: each form takes the fields it offers, under its own ids.

import { el } from './api.js';

const ANY = ['', 'filter.any'];
const choices = (values, prefix) => [ANY, ...values.map((value) => [value, `${prefix}.${value}`])];

/** key → how the field is shown: a label key, and an input type or options
 *  ([value, text key]; an empty list is filled from the data later). */
const FIELDS = {
  from: { label: 'filter.from', type: 'date' },
  to: { label: 'filter.to', type: 'date' },
  status: { label: 'filter.status', options: choices(['ok', 'failed', 'unknown', 'pending'], 'status') },
  mode: { label: 'filter.mode', options: choices(['ordinary', 'service_account'], 'mode') },
  action: { label: 'filter.action', options: choices(['delete', 'add', 'edit', 'publish', 'restore', 'check'], 'action') },
  batch: { label: 'filter.batch', type: 'text', size: 'short' },
  linked: { label: 'filter.linked', type: 'number', size: 'tiny' },
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

/** Puts `keys`' fields into `form`, before its buttons; `id(key)` names
 *  each control, `leave` lists option values this form does not offer. */
export function buildFilters(form, keys, id, leave = []) {
  const buttons = form.querySelector('.filter-buttons');
  for (const key of keys) form.insertBefore(field(key, id(key), leave), buttons);
}
