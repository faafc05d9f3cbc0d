// Live updates rebuild the page; a text field being typed in must come back with its text, caret and focus.
const drafts = new Map();

/** Registers a text field under `id`: its draft survives rebuilds, and focus returns to it if it had it. */
export function keepFocus(id, field) {
  const saved = drafts.get(id);
  if (saved) {
    field.value = saved.value;
    if (saved.focused) {
      requestAnimationFrame(() => {
        if (!field.isConnected) return;
        field.focus({ preventScroll: true });
        field.setSelectionRange(saved.start, saved.end);
      });
    }
  }
  const save = () =>
    drafts.set(id, { value: field.value, start: field.selectionStart, end: field.selectionEnd, focused: document.activeElement === field });
  for (const event of ['input', 'keyup', 'click', 'focus', 'select']) field.addEventListener(event, save);
  field.addEventListener('blur', () => {
    const draft = drafts.get(id);
    // A blur caused by the field leaving the page (a rebuild) must not forget that it had focus.
    if (draft && field.isConnected) draft.focused = false;
  });
  return field;
}

/** Forgets a field's draft (after it was saved or cancelled). */
export function dropDraft(id) {
  drafts.delete(id);
}
