// Arrow-key movement for a tab list or a radio group (WAI-ARIA): one item in
// the Tab order, the arrows move to the next enabled one and choose it.

/** Moves through `selector` inside `container` with the arrow keys, Home
 * and End; `choose(item)` is called on the item moved to. */
export function rovingKeys(container, selector, choose) {
  container.addEventListener('keydown', (event) => {
    const items = [...container.querySelectorAll(selector)].filter((item) => !item.disabled);
    const at = items.indexOf(document.activeElement);
    if (at < 0 || !items.length) return;
    const next = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: items.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const item = items[(next + items.length) % items.length];
    item.focus();
    choose(item);
  });
}

/** Marks `current` as the chosen item of `items` (`attribute` is
 * aria-selected for tabs, aria-checked for radios); only it is tabbable. */
export function markChosen(items, current, attribute) {
  for (const item of items) {
    const chosen = item === current;
    item.setAttribute(attribute, String(chosen));
    item.tabIndex = chosen ? 0 : -1;
  }
}
