import { InvalidArgumentError, Option, type Command } from 'commander';
import { findPlan } from '../app/find-plan.js';
import { previewReminders, type PreviewItem } from '../app/reminders/preview.js';
import { runReminders } from '../app/reminders/run.js';
import { changeReminderSettings } from '../app/reminders/settings.js';
import { ActionPlanError } from '../domain/errors.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  reminderSettingsOf,
  type ReminderSettings,
} from '../domain/plan-settings.js';
import type { ContainerDeps } from '../container.js';
import { asOfOption, resolveAsOf, type AsOf } from './as-of.js';
import type { CliEnvironment, Opened } from './cli-environment.js';
import { table } from './format.js';

/** What `actionplan reminders …` needs of the CLI's environment. */
export type RemindersEnvironment = Pick<CliEnvironment, 'out' | 'open' | 'config'>;

const KIND_LABELS: Record<string, string> = {
  due_today: 'due today',
  overdue: 'overdue (weekly)',
  check_in: 'monthly check-in',
  snoozed: 'remind me later',
  escalation: 'to the champion: overdue',
  unreachable_owner: 'to the champion: owner unreachable',
};

const kindLabel = (p: Pick<PreviewItem, 'kind' | 'workingDaysBefore' | 'caughtUp'>): string => {
  const base =
    p.kind === 'before'
      ? `${p.workingDaysBefore} working ${p.workingDaysBefore === 1 ? 'day' : 'days'} before`
      : (KIND_LABELS[p.kind] ?? p.kind);
  return p.caughtUp ? `${base} (late)` : base;
};

const STATUS_LABELS: Record<string, string> = {
  would_send: 'would send',
  unreachable: 'cannot reach them',
};

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/**
 * `actionplan reminders preview | run | failed | settings`: see what would go out at any moment,
 * run one scheduler round (for an operator, or a test simulating a day), list the reminders that
 * gave up, and read or change a plan's reminder settings.
 */
export function addRemindersCommand(program: Command, env: RemindersEnvironment): void {
  const reminders = program
    .command('reminders')
    .description('reminders to owners before their target dates: preview, run, failed, settings');
  const planOption = () =>
    new Option('--plan <id>', 'the plan (for the time zone of --as-of; preview: only this plan)');

  const withOpened = async <T>(fn: (opened: Opened) => Promise<T>) => {
    const opened = await env.open();
    try {
      return await fn(opened);
    } finally {
      await opened.close();
    }
  };
  const withDeps = <T>(fn: (deps: ContainerDeps) => Promise<T>) =>
    withOpened(({ deps }) => fn(deps));
  const when = async (deps: ContainerDeps, asOf: AsOf | undefined, planId?: string) => {
    if (!asOf) return deps.clock.now();
    const plans = await deps.plans.listPlans();
    const plan = planId
      ? (await findPlan(deps, planId)).value
      : plans.length === 1
        ? plans[0]!.value
        : undefined;
    // Several plans and none chosen: the zone new plans get, at the default sending time.
    return resolveAsOf(
      asOf,
      plan
        ? { timeZone: plan.timeZone, sendAt: reminderSettingsOf(plan).sendAt }
        : { timeZone: env.config.defaultTimeZone, sendAt: DEFAULT_REMINDER_SETTINGS.sendAt },
    );
  };

  reminders
    .command('preview')
    .description(
      'list the reminders that would go out at that moment (ref, kind, recipient); sends nothing',
    )
    .addOption(asOfOption('the moment to preview'))
    .addOption(planOption())
    .option('--json', 'print JSON')
    .action(async (o: { asOf?: AsOf; plan?: string; json?: boolean }) => {
      const { at, items } = await withDeps(async (deps) => {
        const moment = await when(deps, o.asOf, o.plan);
        const planId = o.plan ? (await findPlan(deps, o.plan)).value.id : undefined;
        return {
          at: moment,
          items: await previewReminders(deps, { asOf: moment, ...(planId ? { planId } : {}) }),
        };
      });
      if (o.json) return env.out(json({ asOf: at.toISOString(), reminders: items }));
      env.out(`Reminders due at ${at.toISOString()}:`);
      if (items.length === 0) return env.out('None.');
      env.out(
        table(
          ['Plan', 'Ref', 'Kind', 'Recipient', 'Status'],
          items.map((p) => [
            p.planId,
            p.ref,
            kindLabel(p),
            p.recipient,
            STATUS_LABELS[p.status] ?? `already ${p.status}`,
          ]),
        ),
      );
      const count = (f: (p: PreviewItem) => boolean) => items.filter(f).length;
      env.out(
        `${count((p) => p.status === 'would_send')} would be sent; ${count((p) => p.status === 'unreachable')} for people the bot cannot reach; ${count((p) => p.status !== 'would_send' && p.status !== 'unreachable')} already handled.`,
      );
    });

  reminders
    .command('run')
    .description(
      'run one sweep now (or as of a moment) and deliver everything it queued before exiting',
    )
    .addOption(asOfOption('the moment the round is judged at'))
    .addOption(planOption())
    .option('--json', 'print JSON')
    .action(async (o: { asOf?: AsOf; plan?: string; json?: boolean }) => {
      const report = await withOpened(async (opened) => {
        const asOf = await when(opened.deps, o.asOf, o.plan);
        return runReminders(opened.reminderDeps(), {
          holder: `cli:${process.pid}`,
          ...(o.asOf ? { asOf } : {}),
        });
      });
      if (!report.ran) {
        throw new ActionPlanError(
          'conflict',
          'Another instance of the bot is sending reminders right now; try again in a minute.',
        );
      }
      if (o.json) return env.out(json(report));
      const { sweep, delivery } = report;
      env.out(
        `Swept: ${sweep.due} due, ${sweep.queued} queued, ${sweep.alreadyHandled} already handled, ${sweep.unreachable} for people the bot cannot reach.`,
      );
      env.out(
        `Delivered: ${delivery.sent} sent, ${delivery.unreachable} refused by Teams, ${delivery.skipped} no longer needed, ${delivery.failed} failed (${delivery.throttled} throttled on the way).`,
      );
      if (delivery.failed > 0) env.out('See them with: actionplan reminders failed');
    });

  reminders
    .command('failed')
    .description('list the reminders that gave up (the dead-letter queue)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { letters, total } = await withDeps((deps) => deps.queue.listDeadLetters());
      if (o.json) return env.out(json({ total, failed: letters }));
      if (total === 0) return env.out('No failed reminders.');
      env.out(
        table(
          ['Failed at', 'Plan', 'Ref', 'Kind', 'Recipient', 'Code', 'Why'],
          letters.map((l) => [
            l.failedAt.replace('T', ' ').slice(0, 16),
            l.planId,
            l.ref,
            l.kind,
            l.recipient,
            l.code,
            l.reason,
          ]),
        ),
      );
      env.out(
        total > letters.length
          ? `${total} failed reminders; the first ${letters.length} are shown.`
          : `${total} failed ${total === 1 ? 'reminder' : 'reminders'}.`,
      );
    });

  reminders
    .command('settings')
    .description("show a plan's reminder settings, or change them")
    .addOption(new Option('--plan <id>', 'the plan (needed only when there are several)'))
    .option(
      '--before <days>',
      'working days before the target, e.g. 14,7,1,0 (0: on the day)',
      list,
    )
    .option('--overdue-every <days>', 'remind weekly (7) while overdue; 0: never', whole)
    .option(
      '--escalate-after <days>',
      'tell the champion once this many days overdue; 0: never',
      whole,
    )
    .addOption(
      new Option('--check-in <on|off>', 'monthly check-in for ongoing actions').choices([
        'on',
        'off',
      ]),
    )
    .option('--send-at <HH:MM>', 'time of day, in the plan’s time zone')
    .option('--holidays <region>', 'GB-ENG (England and Wales), GB-SCT, GB-NIR, or none')
    .option(
      '--catch-up <days>',
      'send reminders missed while the bot was down, up to this many days late',
      whole,
    )
    .addOption(new Option('--on', 'send reminders for this plan').conflicts('off'))
    .option('--off', 'send no reminders for this plan')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        plan?: string;
        before?: number[];
        overdueEvery?: number;
        escalateAfter?: number;
        checkIn?: 'on' | 'off';
        sendAt?: string;
        holidays?: string;
        catchUp?: number;
        on?: boolean;
        off?: boolean;
        json?: boolean;
      }) => {
        const change: Partial<ReminderSettings> = {
          ...(o.before ? { workingDaysBefore: o.before } : {}),
          ...(o.overdueEvery === undefined ? {} : { overdueEveryDays: o.overdueEvery }),
          ...(o.escalateAfter === undefined ? {} : { escalateAfterDaysOverdue: o.escalateAfter }),
          ...(o.checkIn ? { monthlyCheckIn: o.checkIn === 'on' } : {}),
          ...(o.sendAt ? { sendAt: o.sendAt } : {}),
          ...(o.holidays ? { holidays: o.holidays } : {}),
          ...(o.catchUp === undefined ? {} : { catchUpDays: o.catchUp }),
          ...(o.on ? { enabled: true } : {}),
          ...(o.off ? { enabled: false } : {}),
        };
        const { planId, settings } = await withDeps(async (deps) => {
          const plan = (await findPlan(deps, o.plan)).value;
          return {
            planId: plan.id,
            settings:
              Object.keys(change).length === 0
                ? reminderSettingsOf(plan)
                : await changeReminderSettings(deps, plan.id, change),
          };
        });
        if (o.json) return env.out(json(settings));
        env.out(
          `Reminders for plan ${planId}${Object.keys(change).length > 0 ? ' (changed)' : ''}:`,
        );
        env.out(
          table(
            ['Setting', 'Value'],
            [
              ['Sending', settings.enabled ? 'on' : 'off'],
              [
                'Before the target',
                `${settings.workingDaysBefore.join(', ')} working days (0: on the day)`,
              ],
              [
                'While overdue',
                settings.overdueEveryDays > 0
                  ? `every ${settings.overdueEveryDays} days`
                  : 'nothing',
              ],
              [
                'Champion told',
                settings.escalateAfterDaysOverdue > 0
                  ? `after ${settings.escalateAfterDaysOverdue} days overdue`
                  : 'never',
              ],
              ['Monthly check-in', settings.monthlyCheckIn ? 'on' : 'off'],
              ['Time of day', `${settings.sendAt}, working days only`],
              ['Holidays', settings.holidays],
              ['Catch-up', `up to ${settings.catchUpDays} days late`],
            ],
          ),
        );
      },
    );
}

function whole(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('a whole number of days.');
  return Number(text);
}

function list(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new InvalidArgumentError(
      'whole numbers of working days separated by commas, e.g. 14,7,1,0.',
    );
  }
  return parts.map(Number);
}
