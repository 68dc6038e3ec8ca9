import { InvalidArgumentError, type Command } from 'commander';
import { buildDigest } from '../app/digest/build-digest.js';
import { scheduleText } from '../app/digest/digest-commands.js';
import { setDigestSchedule } from '../app/digest/digest-schedule.js';
import { findPlan } from '../app/find-plan.js';
import { digestScheduleOf, parseWeekday } from '../domain/digest.js';
import { asOfOption, resolveAsOf, type AsOf } from './as-of.js';
import type { CliEnvironment } from './cli-environment.js';

/** What the digest commands need of the CLI's environment. */
export type DigestEnvironment = Pick<CliEnvironment, 'out' | 'open'>;

/**
 * `actionplan digest preview [--plan <id>] [--as-of <date>] [--card]`: the weekly digest as a
 * channel would get it, without posting it (its text, or the Adaptive Card's JSON);
 * `actionplan digest schedule [--day monday] [--at 09:00]`: when it goes out.
 */
export function addDigestCommands(program: Command, env: DigestEnvironment): void {
  const digest = program.command('digest').description('the weekly channel digest');
  digest
    .command('preview')
    .description('show the weekly digest as a subscribed channel would get it, without posting it')
    .option('--plan <id>', 'the plan (needed only when there are several)')
    .addOption(asOfOption('the moment the digest is for (the week before it is "this week")'))
    .option('--card', 'print the Adaptive Card JSON instead of its text')
    .action(async (o: { plan?: string; asOf?: AsOf; card?: boolean }) => {
      const { deps, close } = await env.open();
      try {
        const plan = (await findPlan(deps, o.plan)).value;
        const at = o.asOf
          ? resolveAsOf(o.asOf, { timeZone: plan.timeZone, sendAt: digestScheduleOf(plan).sendAt })
          : deps.clock.now();
        const built = await buildDigest(deps, plan, at, { preview: true });
        env.out(o.card ? JSON.stringify(built.card, null, 2) : cardText(built.card).join('\n'));
      } finally {
        await close();
      }
    });
  digest
    .command('schedule')
    .description('set the day and time the weekly digest goes out (in the plan’s time zone)')
    .option('--plan <id>', 'the plan (needed only when there are several)')
    .option('--day <weekday>', 'a day of the week, such as monday', (text: string) => {
      const day = parseWeekday(text);
      if (day === undefined) throw new InvalidArgumentError('give a day of the week, e.g. monday.');
      return day;
    })
    .option('--at <HH:MM>', 'the local time, on a 24-hour clock, such as 09:00')
    .action(async (o: { plan?: string; day?: number; at?: string }) => {
      const { deps, close } = await env.open();
      try {
        const { plan } = await setDigestSchedule(deps, {
          ...(o.plan ? { planId: o.plan } : {}),
          change: {
            ...(o.day !== undefined ? { weekday: o.day } : {}),
            ...(o.at !== undefined ? { sendAt: o.at } : {}),
          },
        });
        env.out(`The weekly digest of "${plan.title}" goes out ${scheduleText(plan)}.`);
      } finally {
        await close();
      }
    });
}

/** The text a person sees on a card, in order (zero-width spaces of escaping removed). */
export function cardText(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const type = typeof o['type'] === 'string' ? o['type'] : '';
    if (type.startsWith('Chart.')) {
      // Charts show as their text fallback here.
      walk(o['fallback']);
      return;
    }
    if (type === 'TextBlock' && typeof o['text'] === 'string') {
      out.push(o['text'].replace(/\u200b/g, '').replace(/\*\*/g, ''));
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'fallback' && k !== 'msteams') walk(v);
  };
  walk((card as { body?: unknown }).body);
  return out;
}
