// Dialogs are native <dialog> elements opened with showModal(): the engine
// (WebKitGTK, WebView2) keeps Tab inside the dialog, makes the page behind
// inert and gives focus back to what opened it when it closes. Escape goes
// to the dialog's own cancel, which may refuse (a batch being sent stays).

/** Opens `dialog` as modal (once: an open one stays as it is). */
export function openDialog(dialog) {
  if (!dialog.open) dialog.showModal();
}

export function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

/** Escape on `dialog` runs `cancel` instead of closing it outright. */
export function onEscape(dialog, cancel) {
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    cancel();
  });
}
