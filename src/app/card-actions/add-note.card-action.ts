import type { ActionVerb } from './card-verb.js';
import { requiredText } from './press-data.js';
import { changeRefusal } from './refusals.js';

export interface AddNoteData {
  readonly note: string;
}

/** "Add a note": the note becomes the action's latest note; every note stays in the history. */
export const addNote: ActionVerb<AddNoteData> = {
  read: (fields) => ({
    note: requiredText(
      fields,
      'note',
      'note',
      'Write the note first, then press Save note. Nothing has changed.',
    ),
  }),
  refusal: changeRefusal,
  attempted: () => ({ field: 'note' }),
  apply: (current, data) => ({
    action: { ...current, note: data.note },
    entry: { field: 'note', from: current.note ?? '', to: data.note },
  }),
  saved: (result) => ({
    banner: { tone: 'good', text: `Saved your note on action ${result.action.value.ref}.` },
  }),
};
