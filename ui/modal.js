// Every dialog (.modal) is modal for the keyboard too (WAI-ARIA dialog
// pattern): focus moves in when it opens, Tab and Shift+Tab stay inside,
// the page behind is inert, and when it closes focus returns to what opened
// it. The dialogs' own modules only show and hide them; this watches.

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]):not([type=hidden]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** What had focus when each open dialog opened. */
const openers = new Map();

function focusables(dialog) {
  return [...dialog.querySelectorAll(FOCUSABLE)].filter((element) => element.getClientRects().length > 0);
}

/** The dialog on top, if any is open. */
function openDialog() {
  const open = [...document.querySelectorAll('.modal')].filter((dialog) => !dialog.hidden);
  return open[open.length - 1] ?? null;
}

function background(inert) {
  for (const part of document.querySelectorAll('body > header, body > main')) {
    part.inert = inert;
  }
}

/** The last element outside any dialog that had focus: a dialog's module
 * may move focus in before this sees the dialog open. */
let lastOutside = null;

function opened(dialog) {
  const before = document.activeElement;
  const outside = before && before !== document.body && !dialog.contains(before) ? before : lastOutside;
  if (!openers.has(dialog)) openers.set(dialog, outside);
  background(true);
  // A dialog's module may have focused something of its own: keep it.
  if (!dialog.contains(document.activeElement)) {
    const first = dialog.querySelector('[autofocus]') ?? focusables(dialog)[0];
    first?.focus();
  }
}

function closed(dialog) {
  const opener = openers.get(dialog);
  openers.delete(dialog);
  if (!openDialog()) background(false);
  // After the page stops being inert (applied with the next style update).
  requestAnimationFrame(() => {
    if (opener?.isConnected && !opener.disabled && opener.getClientRects().length > 0) opener.focus();
  });
}

export function initModals() {
  const watcher = new MutationObserver((changes) => {
    for (const change of changes) {
      const dialog = change.target;
      if (dialog.hidden) closed(dialog);
      else opened(dialog);
    }
  });
  for (const dialog of document.querySelectorAll('.modal')) {
    watcher.observe(dialog, { attributes: true, attributeFilter: ['hidden'] });
  }
  document.addEventListener('focusin', (event) => {
    if (!event.target.closest?.('.modal')) lastOutside = event.target;
  });
  document.addEventListener('keydown', (event) => {
    const dialog = openDialog();
    if (!dialog || event.key !== 'Tab') return;
    const items = focusables(dialog);
    if (!items.length) return;
    const [first, last] = [items[0], items[items.length - 1]];
    const inside = dialog.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });
}
