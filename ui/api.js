// Calls into Rust. Explanations come back in the window's language, which
// the app's state keeps (set_language); errors arrive as
// {kind, field, errcode, errmsg, message, hint}.

const { invoke, Channel } = window.__TAURI__.core;

export function call(command, args = {}) {
  return invoke(command, args);
}

/** A channel to pass to a command that reports as it goes (a download's
 *  progress): `listen` hears each message. */
export function channel(listen) {
  const opened = new Channel();
  opened.onmessage = listen;
  return opened;
}

/** Turns anything thrown into the problem shape the UI renders. */
export function problem(error) {
  if (error && typeof error === 'object' && 'message' in error) return error;
  return { kind: 'unexpected', message: String(error), hint: '' };
}

/** A problem as one line: what happened, then what to do. */
export function problemText(error) {
  const p = problem(error);
  return p.hint ? `${p.message} ${p.hint}` : p.message;
}

/** Shows `text` in the notice element `id`, hidden while there is none;
 *  `kind` is ok, warn, error or info. */
export function notice(id, text, kind = 'info') {
  const element = document.getElementById(id);
  element.textContent = text || '';
  element.className = `notice ${kind}`;
  element.hidden = !text;
}

/** Removes every child and adds `children`. */
export function fill(element, ...children) {
  element.replaceChildren(...children);
}

/** A new element with text content (never HTML: rule text comes from outside). */
export function el(tag, text = '', className = '') {
  const element = document.createElement(tag);
  if (text !== '') element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** A UTC time as the admin's local time. */
export function localTime(utc) {
  if (!utc) return '';
  const date = new Date(utc);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The value of the checked radio button named `name`. */
export function choice(name) {
  return document.querySelector(`input[name="${name}"]:checked`)?.value ?? '';
}

/** Checks the radio button named `name` with `value`. */
export function choose(name, value) {
  const input = document.querySelector(`input[name="${name}"][value="${value}"]`);
  if (input) input.checked = true;
}

/** Says `text` to screen readers (the page's polite live region). */
export function announce(text) {
  const region = document.getElementById('announce');
  // Emptied first, so the same words said twice are read twice.
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}
