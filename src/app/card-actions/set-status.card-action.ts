import { ActionPlanError } from '../../domain/errors.js';
import { statusLabel, type Status } from '../../domain/status.js';
import type { ActionVerb } from './card-verb.js';
import { oneOf, optionalText } from './press-data.js';
import { changeRefusal } from './refusals.js';

/** The statuses a card sets; "not started" and "closed" are left to imports and admins. */
export const CARD_STATUSES = ['in_progress', 'blocked', 'complete'] as const;
type CardStatus = (typeof CARD_STATUSES)[number];

const LABELS: Record<CardStatus, string> = {
  in_progress: statusLabel('in_progress'),
  blocked: statusLabel('blocked'),
  complete: statusLabel('complete'),
};

export interface SetStatusData {
  readonly status: Status;
  readonly note?: string;
}

/**
 * "Mark in progress / blocked / complete", with an optional note that becomes the latest note.
 * Pressing the status the action already has is an answer too ("still in progress"): it is
 * recorded as a confirmation, so every press is in the history.
 */
export const setStatus: ActionVerb<SetStatusData> = {
  read(fields) {
    const status = oneOf(fields, 'status', CARD_STATUSES, LABELS, 'status');
    if (!status) {
      throw new ActionPlanError(
        'invalid_input',
        'The card didn\'t say which status to set, so nothing has changed. Press one of the "Mark …" buttons.',
      );
    }
    const note = optionalText(fields, 'statusNote', 'note');
    return { status, ...(note ? { note } : {}) };
  },
  refusal: changeRefusal,
  attempted: (data) => ({ field: 'status', ...(data ? { to: statusLabel(data.status) } : {}) }),
  apply(current, data) {
    return {
      action: { ...current, status: data.status, ...(data.note ? { note: data.note } : {}) },
      entry: {
        field: 'status',
        from: statusLabel(current.status),
        to: statusLabel(data.status),
        ...(data.note ? { note: data.note } : {}),
      },
    };
  },
  saved(result, data) {
    const ref = result.action.value.ref;
    const label = statusLabel(data.status);
    const same = result.before.status === data.status;
    const note = data.note ? ' Your note is saved with it.' : '';
    const done =
      data.status === 'complete' && !same
        ? ' Well done: there will be no more reminders for it.'
        : '';
    return {
      banner: {
        tone: 'good',
        text: same
          ? `Saved: action ${ref} is still ${label}.${note}`
          : `Saved: action ${ref} is now ${label}.${note}${done}`,
      },
    };
  },
};
