// Ctrl+= / Ctrl+- / Ctrl+0 scale the page, in the steps browsers use.

import { call } from './api.js';

const STEPS = [0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];
let at = STEPS.indexOf(1);

export function initZoom() {
  document.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    let next = at;
    if (event.key === '=' || event.key === '+') next = Math.min(at + 1, STEPS.length - 1);
    else if (event.key === '-' || event.key === '_') next = Math.max(at - 1, 0);
    else if (event.key === '0') next = STEPS.indexOf(1);
    else return;
    event.preventDefault();
    if (next === at) return;
    at = next;
    call('set_zoom', { factor: STEPS[at] });
  });
}
