import { formatDate } from '../../domain/calendar.js';
import { ActionPlanError } from '../../domain/errors.js';
import { isDone, statusLabel } from '../../domain/status.js';
import type { ActionVerb } from './card-verb.js';
import { oneOf, optionalDate, plusDays, requireDateBetween } from './press-data.js';
import { changeRefusal } from './refusals.js';

const CHOICES = ['3d', '1w', 'date'] as const;
const LABELS: Record<(typeof CHOICES)[number], string> = {
  '3d': 'in 3 days',
  '1w': 'in a week',
  date: 'a chosen day',
};

export interface SnoozeData {
  /** YYYY-MM-DD (plan time zone): the day reminders come back. */
  readonly until: string;
}

/**
 * "Remind me later": 3 days, a week, or a chosen day. Stored on the action as `snooze`, which the
 * reminder policy reads (no owner reminders until then, one on the day). A press that does not
 * say when (a one-click "remind me later" on a reminder card) is answered with the choices.
 */
export const snooze: ActionVerb<SnoozeData> = {
  read(fields, scene) {
    const choice = oneOf(fields, 'for', CHOICES, LABELS, 'time to be reminded');
    if (!choice) {
      return {
        ask: `When should I remind you about action ${scene.action.value.ref} again? Choose under “Remind me later” below.`,
      };
    }
    if (choice === '3d') return { until: plusDays(scene.today, 3) };
    if (choice === '1w') return { until: plusDays(scene.today, 7) };
    const until = optionalDate(fields, 'until', 'day to be reminded');
    if (!until) {
      throw new ActionPlanError(
        'invalid_input',
        'Choose the day to be reminded on with the date picker, then press Remind me then. Nothing has changed.',
      );
    }
    return { until: requireDateBetween(until, plusDays(scene.today, 1), 'day to be reminded') };
  },
  refusal: changeRefusal,
  attempted: (data) => ({ field: 'snooze', ...(data ? { to: formatDate(data.until) } : {}) }),
  apply(current, data, { deps, by, scene }) {
    if (isDone(current.status)) {
      throw new ActionPlanError(
        'invalid_input',
        `Action ${current.ref} is ${statusLabel(current.status)}, so there are no reminders to put off. Nothing has changed.`,
      );
    }
    const active =
      current.snooze && current.snooze.until > scene.today ? current.snooze : undefined;
    return {
      action: { ...current, snooze: { until: data.until, at: deps.clock.now().toISOString(), by } },
      entry: {
        field: 'snooze',
        from: active ? formatDate(active.until) : '',
        to: formatDate(data.until),
      },
    };
  },
  saved: (result, data) => ({
    banner: {
      tone: 'good',
      text: `No reminders about action ${result.action.value.ref} until ${formatDate(data.until)}. I'll remind you then.`,
    },
  }),
};
