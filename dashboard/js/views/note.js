import { api, ApiError } from '../api.js';
import { fill, h, when } from '../dom.js';
import { dropDraft, keepFocus } from '../keep-focus.js';

const MAX_NOTE = 20_000;
// Per study: whether its note is being edited, from which version, and a save the server refused.
const editing = new Map();

/**
 * The study's note, shown as text (never HTML). Editing saves over the version that was read; if someone saved in
 * between, the server refuses, their text is shown, and saving again replaces it knowingly.
 */
export function notePanel(name, note) {
  const slot = h('div', { id: 'note' });
  const show = (current) => {
    const state = editing.get(name);
    if (!state) {
      fill(
        slot,
        current.text
          ? h('div', { class: 'note-text' }, current.text)
          : h('p', { class: 'muted' }, 'No note yet: record what you tried, saw or decided.'),
        h(
          'div',
          { class: 'toolbar' },
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                editing.set(name, { base: current, conflict: null, error: null });
                show(current);
                slot.querySelector('textarea')?.focus();
              },
            },
            current.text ? 'Edit note' : 'Add a note',
          ),
          current.updatedAt ? h('span', { class: 'muted' }, `saved ${when(current.updatedAt)}`) : null,
        ),
      );
      return;
    }
    const text = h('textarea', { rows: 6, maxlength: MAX_NOTE, 'aria-label': 'study note' });
    // What was typed (even an emptied note) wins over the stored text when a live update rebuilds the page.
    text.value = state.base.text;
    keepFocus(`note:${name}`, text);
    const count = h('span', { class: 'muted' });
    const recount = () => (count.textContent = `${text.value.length} / ${MAX_NOTE}`);
    text.addEventListener('input', recount);
    recount();
    const save = async () => {
      try {
        const saved = await api.saveNote(name, { text: text.value, version: state.base.version });
        editing.delete(name);
        dropDraft(`note:${name}`);
        show(saved);
      } catch (error) {
        const conflict = error instanceof ApiError && error.status === 409 ? await api.note(name) : null;
        // Saving again is then deliberate: over the version just shown.
        const message = conflict
          ? 'Someone saved this note after you opened it. Their text is below: “Save mine over theirs” replaces it, Cancel keeps it.'
          : error.message;
        editing.set(name, { base: conflict ?? state.base, conflict, error: message });
        show(conflict ?? current);
      }
    };
    fill(
      slot,
      text,
      h(
        'div',
        { class: 'toolbar' },
        h('button', { type: 'button', onclick: save }, state.conflict ? 'Save mine over theirs' : 'Save note'),
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              editing.delete(name);
              dropDraft(`note:${name}`);
              show(current);
            },
          },
          'Cancel',
        ),
        count,
      ),
      state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
      state.conflict
        ? h('div', {}, h('p', { class: 'muted' }, 'The note as saved elsewhere:'), h('div', { class: 'note-text' }, state.conflict.text))
        : null,
    );
  };
  show(note);
  return slot;
}
