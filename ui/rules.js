// The life of a rule on the rules screen: add and edit (checked first, the
// confirmation in the words the CLI prints), publish, the verification-file
// doctor's checklist, and a rule set applied from a file.

import { announce, call, el, fill, notice, problem, problemText } from './api.js';
import { t } from './i18n.js';
import { currentForm, currentMode, currentRules, loadRules } from './delete.js';
import { renderImpact } from './impact.js';
import { app } from './state.js';
import { closeDialog, openDialog } from './dialog.js';
import { outcomeBlock } from './outcome.js';

const $ = (id) => document.getElementById(id);
const FIELDS = { prefix: 'rule-prefix', page_path: 'rule-path', debug_url: 'rule-debug-urls' };
// 'add' or 'edit'; the plan checked for the form as it is now, if any.
let editing = 'add';
let planned = false;
let busy = false;
let publishing = [];
let ruleSetFile = null;
let doctorPrefix = '';
// What had focus when each dialog opened (the doctor can open over the editor).
const openers = new Map();

function remember(dialog) {
  // Reopened in place (add becomes edit): focus still goes back to the first opener.
  if (!$(dialog).open) openers.set(dialog, document.activeElement);
}

function giveBack(id) {
  closeDialog($(id));
  openers.get(id)?.focus?.({ preventScroll: true });
}

// ---- add / edit ----

const VERSIONS = { 1: 'development', 2: 'trial', 3: 'release' };

/** Opens the editor: empty to add, filled with `rule` to change it. */
export function openEditor(rule = null) {
  remember('rule-editor');
  editing = rule ? 'edit' : 'add';
  const ordinary = currentMode() === 'ordinary';
  $('rule-editor-title').textContent = t(`rule.${editing}.title`);
  $('rule-prefix').value = rule?.prefix ?? '';
  $('rule-prefix').readOnly = Boolean(rule);
  $('rule-path').value = rule?.path ?? '';
  $('rule-open-version').value = VERSIONS[rule?.open_version] ?? 'release';
  $('rule-sub-rules').checked = rule?.permit_sub_rule === 2;
  $('rule-debug-urls').value = (rule?.debug_url ?? []).join('\n');
  $('rule-ordinary').hidden = !ordinary;
  $('rule-publish').checked = false;
  $('rule-publish-field').hidden = Boolean(rule);
  for (const id of Object.values(FIELDS)) showError(id, '');
  $('rule-result').hidden = true;
  $('rule-file').hidden = true;
  $('rule-file-where').textContent = '';
  $('rule-cancel').textContent = t('confirm.cancel');
  $('rule-check').hidden = false;
  unplan();
  openDialog($('rule-editor'));
  (rule ? $('rule-path') : $('rule-prefix')).focus({ preventScroll: true });
}

function ruleForm() {
  return {
    ...currentForm(),
    prefix: $('rule-prefix').value,
    path: $('rule-path').value,
    openVersion: $('rule-open-version').value,
    subRules: $('rule-sub-rules').checked,
    debugUrls: $('rule-debug-urls').value.split('\n').map((line) => line.trim()).filter(Boolean),
    publish: editing === 'add' && $('rule-publish').checked,
  };
}

function showError(id, message) {
  const error = $(`${id}-error`);
  error.textContent = message || '';
  error.hidden = !message;
  $(id).classList.toggle('invalid', Boolean(message));
  if (message) $(id).setAttribute('aria-invalid', 'true');
  else $(id).removeAttribute('aria-invalid');
}

/** The form changed after its check: it must be checked again. */
function unplan() {
  planned = false;
  $('rule-edit-instead').hidden = true;
  $('rule-file').hidden = true;
  $('rule-plan').hidden = true;
  fill($('rule-impact'));
  $('rule-go').hidden = true;
  $('rule-check').hidden = false;
  notice('rule-message', '');
}

async function check() {
  if (busy) return;
  busy = true;
  unplan();
  for (const id of Object.values(FIELDS)) showError(id, '');
  notice('rule-message', t('rule.checking'));
  try {
    const result = await call(editing === 'add' ? 'rule_add_plan' : 'rule_edit_plan', { form: ruleForm() });
    notice('rule-message', '');
    $('rule-plan').textContent = result.text;
    $('rule-plan').hidden = false;
    // The first rule of a host: WeChat checks its verification file there
    // first, so the file and the doctor are offered before the add.
    $('rule-file').hidden = !result.plan.firstOnHost;
    $('rule-file-where').textContent = '';
    // A published rule's new page deletes it first: its printed codes stop
    // opening the Mini Program until the publish, so say which.
    if (result.plan.kind === 'replace') {
      const prefix = $('rule-prefix').value.trim();
      const impact = await call('delete_impact', { accountId: app.accountId, prefix, rules: currentRules() }).catch(() => null);
      if (impact) renderImpact($('rule-impact'), impact);
    }
    $('rule-go').textContent = t(`rule.go.${editing}`);
    $('rule-go').hidden = false;
    // One next step: the checked plan's button (editing the form brings Check back).
    $('rule-check').hidden = true;
    planned = true;
    announce(result.text);
    $('rule-go').focus({ preventScroll: true });
  } catch (error) {
    refuse(error);
  } finally {
    busy = false;
  }
}

/** A refusal next to its field when it names one, else under the form. */
function refuse(error) {
  const p = problem(error);
  // 85071 foreseen: the rule is there already; offer to edit it instead.
  const existing = p.kind === 'rule_exists'
    ? currentRules().find((rule) => rule.prefix === $('rule-prefix').value.trim())
    : null;
  $('rule-edit-instead').hidden = !existing;
  $('rule-edit-instead').onclick = existing ? () => openEditor(existing) : null;
  const id = FIELDS[p.field];
  if (id) {
    notice('rule-message', '');
    showError(id, problemText(p));
    $(id).focus({ preventScroll: true });
  } else {
    notice('rule-message', problemText(p), 'error');
  }
  announce(problemText(p));
}

async function go() {
  if (busy || !planned) return;
  busy = true;
  $('rule-go').disabled = true;
  try {
    const form = ruleForm();
    let blocks;
    let ok;
    let needsFile;
    let note = '';
    if (editing === 'add') {
      const added = await call('add_rule', { form });
      blocks = [outcomeBlock(t('action.add'), added.add)];
      if (added.publish) blocks.push(outcomeBlock(t('action.publish'), added.publish));
      ok = added.add.status === 'ok' && (!added.publish || added.publish.status === 'ok');
      needsFile = added.needsVerificationFile;
      if (added.publishHeld) note = t('rule.held');
    } else {
      const edited = await call('edit_rule', { form });
      blocks = edited.steps.map((step) => outcomeBlock(t(`step.${step.role}`), step.outcome));
      ok = edited.done;
      needsFile = edited.needsVerificationFile;
      if (edited.rolledBack) note = t('rule.rolled_back');
    }
    if (note) blocks.push(el('p', note, 'strong'));
    const title = t(`rule.${ok ? 'done' : 'failed'}.${editing}`);
    $('rule-result-title').textContent = title;
    $('rule-result').className = `result ${ok ? 'ok' : 'failed'}`;
    fill($('rule-outcomes'), ...blocks);
    $('rule-result').hidden = false;
    $('rule-file').hidden = !needsFile;
    $('rule-plan').hidden = true;
    fill($('rule-impact'));
    $('rule-go').hidden = true;
    $('rule-check').hidden = ok;
    $('rule-cancel').textContent = t('detail.close');
    // The answer is below the form: bring it into view and start reading there.
    $('rule-result-title').focus({ preventScroll: true });
    $('rule-result').scrollIntoView({ block: 'nearest' });
    announce([title, note].filter(Boolean).join('. '));
    loadRules();
  } catch (error) {
    refuse(error);
  } finally {
    busy = false;
    $('rule-go').disabled = false;
  }
}

// ---- the verification file ----

async function saveFile(where, prefix) {
  try {
    const saved = await call('save_rule_verification_file', { form: { ...currentForm(), prefix } });
    if (!saved) return;
    $(where).textContent = `${t('restore.file.where', { path: saved.path })}\n${saved.location}`;
  } catch (error) {
    $(where).textContent = problemText(error);
  }
}

/** Opens the doctor's checklist for `prefix`. */
export async function openDoctor(prefix) {
  remember('doctor');
  doctorPrefix = prefix;
  $('doctor-file-where').textContent = '';
  openDialog($('doctor'));
  $('doctor-close').focus({ preventScroll: true });
  await runDoctor();
}

async function runDoctor() {
  $('doctor-verdict').textContent = t('doctor.checking');
  fill($('doctor-list'));
  $('doctor-again').disabled = true;
  try {
    const view = await call('verification_doctor', { form: { ...currentForm(), prefix: doctorPrefix } });
    const ok = view.verdict === 'ok';
    $('doctor-verdict').textContent = t(ok ? 'doctor.ok' : 'doctor.bad', { name: view.fileName });
    $('doctor-verdict').className = ok ? 'strong ok-text' : 'strong error-text';
    fill($('doctor-list'), ...view.places.map((place) => {
      const item = el('li', '', `check-item ${place.finding === 'ok' ? 'ok' : 'bad'}`);
      const head = el('p', '', 'check-head');
      head.append(
        el('span', place.finding === 'ok' ? '✓' : '✗', 'check-mark'),
        el('span', t(`finding.${place.finding}`), 'badge'),
        el('span', place.url, 'mono wrap'),
        el('span', place.status != null ? `HTTP ${place.status} · ${place.ms} ms` : `${place.ms} ms`, 'muted small'),
      );
      item.append(head, el('p', place.meaning));
      if (place.whatToDo) item.append(el('p', place.whatToDo, 'todo'));
      return item;
    }));
    announce($('doctor-verdict').textContent);
  } catch (error) {
    $('doctor-verdict').textContent = problemText(error);
    $('doctor-verdict').className = 'strong error-text';
  } finally {
    $('doctor-again').disabled = false;
  }
}

// ---- publish ----

export async function openPublish(prefixes) {
  remember('rule-publish-dialog');
  publishing = prefixes;
  $('rule-publish-result').hidden = true;
  $('rule-publish-ok').hidden = false;
  $('rule-publish-ok').disabled = true;
  $('rule-publish-cancel').textContent = t('confirm.cancel');
  $('rule-publish-plan').textContent = t('rules.loading');
  openDialog($('rule-publish-dialog'));
  $('rule-publish-cancel').focus({ preventScroll: true });
  try {
    const result = await call('rule_publish_plan', { form: currentForm(), prefixes });
    $('rule-publish-plan').textContent = result.text;
    $('rule-publish-ok').disabled = false;
  } catch (error) {
    $('rule-publish-plan').textContent = problemText(error);
    $('rule-publish-ok').hidden = true;
  }
}

async function publish() {
  if (busy) return;
  busy = true;
  $('rule-publish-ok').disabled = true;
  try {
    const outcomes = await call('publish_rules', { form: currentForm(), prefixes: publishing });
    const ok = outcomes.length === publishing.length && outcomes.every((o) => o.status === 'ok');
    $('rule-publish-result-title').textContent = t(ok ? 'publish.done' : 'publish.failed');
    $('rule-publish-result').className = `result ${ok ? 'ok' : 'failed'}`;
    fill($('rule-publish-outcomes'), ...outcomes.map((o) => outcomeBlock(o.rule?.prefix ?? '', o)));
    $('rule-publish-result').hidden = false;
    $('rule-publish-ok').hidden = true;
    $('rule-publish-cancel').textContent = t('detail.close');
    announce($('rule-publish-result-title').textContent);
    loadRules();
  } catch (error) {
    $('rule-publish-plan').textContent = problemText(error);
  } finally {
    busy = false;
    $('rule-publish-ok').disabled = false;
  }
}

// ---- a rule set from a file ----

async function openRuleSet() {
  remember('rule-set');
  let result;
  try {
    result = await call('rule_set_plan', { form: currentForm() });
  } catch (error) {
    result = { error };
  }
  if (!result) return;
  ruleSetFile = result.plan?.file ?? null;
  $('rule-set-file').textContent = ruleSetFile ?? '';
  $('rule-set-result').hidden = true;
  $('rule-set-cancel').textContent = t('confirm.cancel');
  if (result.error) {
    $('rule-set-plan').textContent = '';
    notice('rule-set-refused', problemText(result.error), 'error');
  } else {
    $('rule-set-plan').textContent = result.text;
    notice('rule-set-refused', result.plan.refused ?? '', 'error');
  }
  const can = !result.error && !result.plan.refused && !result.plan.empty;
  $('rule-set-apply').hidden = !can;
  openDialog($('rule-set'));
  (can ? $('rule-set-apply') : $('rule-set-cancel')).focus({ preventScroll: true });
}

async function applyRuleSet() {
  if (busy || !ruleSetFile) return;
  busy = true;
  $('rule-set-apply').disabled = true;
  try {
    const applied = await call('apply_rule_set', { form: currentForm(), file: ruleSetFile });
    const title = t(applied.done ? 'ruleset.done' : 'ruleset.partly');
    $('rule-set-result-title').textContent = title;
    $('rule-set-result').className = `result ${applied.done ? 'ok' : 'failed'}`;
    fill($('rule-set-outcomes'),
      el('p', t('ruleset.backup', { path: applied.backup }), 'muted small wrap'),
      ...applied.made.map((m) => outcomeBlock(`${t(`step.${m.step.role}`)} · ${m.prefix}`, m.step.outcome)));
    $('rule-set-result').hidden = false;
    $('rule-set-apply').hidden = true;
    $('rule-set-cancel').textContent = t('detail.close');
    announce(title);
    loadRules();
  } catch (error) {
    notice('rule-set-refused', problemText(error), 'error');
  } finally {
    busy = false;
    $('rule-set-apply').disabled = false;
  }
}

/** The buttons of one row of the rule list. */
export function rowActions(rule) {
  const cell = el('td');
  const buttons = el('div', '', 'row-actions');
  cell.append(buttons);
  const button = (label, aria, action) => {
    const b = el('button', t(label), `ghost small ${label.replaceAll('.', '-')}`);
    b.type = 'button';
    b.setAttribute('aria-label', t(aria, { prefix: rule.prefix }));
    b.addEventListener('click', (event) => { event.stopPropagation(); action(); });
    b.addEventListener('keydown', (event) => event.stopPropagation());
    return b;
  };
  buttons.append(button('rule.edit', 'rule.edit.label', () => openEditor(rule)));
  if (rule.state !== 2) buttons.append(button('rule.publish.row', 'rule.publish.label', () => openPublish([rule.prefix])));
  if (currentMode() === 'ordinary') {
    buttons.append(button('rule.doctor.row', 'rule.doctor.label', () => openDoctor(rule.prefix)));
  }
  return cell;
}

function init() {
  $('rules-add').addEventListener('click', () => openEditor());
  $('rules-apply-file').addEventListener('click', openRuleSet);
  for (const id of ['rule-prefix', 'rule-path', 'rule-open-version', 'rule-sub-rules', 'rule-debug-urls', 'rule-publish']) {
    $(id).addEventListener('input', () => { if (planned) { unplan(); notice('rule-message', t('rule.changed')); } });
  }
  $('rule-check').addEventListener('click', check);
  $('rule-go').addEventListener('click', go);
  $('rule-cancel').addEventListener('click', closeEditor);
  $('rule-save-file').addEventListener('click', () => saveFile('rule-file-where', $('rule-prefix').value.trim()));
  $('rule-doctor').addEventListener('click', () => openDoctor($('rule-prefix').value.trim()));
  $('rule-publish-cancel').addEventListener('click', closePublish);
  $('rule-publish-ok').addEventListener('click', publish);
  $('doctor-close').addEventListener('click', closeDoctor);
  $('doctor-again').addEventListener('click', runDoctor);
  $('doctor-save').addEventListener('click', () => saveFile('doctor-file-where', doctorPrefix));
  $('rule-set-cancel').addEventListener('click', closeRuleSet);
  $('rule-set-apply').addEventListener('click', applyRuleSet);
}

function closeEditor() { if (!busy) giveBack('rule-editor'); }
function closePublish() { if (!busy) giveBack('rule-publish-dialog'); }
function closeDoctor() { giveBack('doctor'); }
function closeRuleSet() { if (!busy) giveBack('rule-set'); }

export const screen = {
  init,
  dialogs: { 'rule-editor': closeEditor, 'rule-publish-dialog': closePublish, doctor: closeDoctor, 'rule-set': closeRuleSet },
};
