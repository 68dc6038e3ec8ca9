import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import type { DigestDeps } from '../../../src/app/digest/digest-deps.js';
import { sweepDigests } from '../../../src/app/digest/sweep-digests.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { LeaseStore } from '../../../src/ports/lease.js';
import { createTeamsBot } from '../../../src/teams/teams-bot.js';
import {
  aMessage,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  useBotDriver,
  type User,
} from '../../helpers/bot-driver.js';
import type { RecordedRequest } from '../../helpers/fake-connector.js';
import { FIXTURES, importMojPlan } from '../../helpers/fixtures.js';

/**
 * KIM Champions' status and the weekly digest, through the whole bot: the real server, Table
 * Storage (embedded Azurite), and the fake connector for everything Teams would receive.
 */

const PLAN_ID = 'moj-ima-2017';
const ROOT = join(__dirname, '..', '..', '..');
const expected = JSON.parse(
  readFileSync(join(FIXTURES, 'digest', 'moj-champion-status.json'), 'utf8'),
) as StatusFixture;

interface StatusFixture {
  readonly asOf: string;
  readonly champions: readonly {
    readonly email: string;
    readonly area: string;
    readonly title: string;
    readonly rag: string;
    readonly headline: string;
    readonly counts: Readonly<Record<string, number>>;
    readonly overdue: readonly { ref: string; days: number }[];
    readonly dueIn30Days: readonly string[];
    readonly noOwner: readonly string[];
    readonly unreachable: readonly { email: string; refs: readonly string[] }[];
  }[];
}

interface DemoAssignments {
  readonly admins: readonly string[];
  readonly areas: readonly { name: string; champions: readonly string[] }[];
  readonly assignments: readonly { ref: string; owners: readonly string[]; area?: string }[];
}

const user = (email: string, n: number): User => ({
  id: `29:1${email.split('@')[0]!.replace('.', '-')}`,
  name: email
    .split('@')[0]!
    .split('.')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' '),
  aadObjectId: `6a1b5f0e-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
  email,
});
const PRIYA = user('priya.shah@justice.example', 1); // admin
const TOM = user('tom.okafor@justice.example', 2); // KIM Champion, HMPPS
const HANNAH = user('hannah.lewis@justice.example', 3); // KIM Champion, HMCTS

/** Everything a card shows, with escaping's zero-width spaces removed. */
function shown(request: RecordedRequest | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'legend']) {
      if (typeof o[key] === 'string') texts.push((o[key] as string).replace(/\u200b/g, ''));
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' || Array.isArray(v)) walk(v);
  };
  walk(request?.body?.attachments?.[0]?.content);
  return texts.join('\n');
}

describe('KIM Champions and the weekly digest', () => {
  const bot = useBotDriver({
    members: [PRIYA, TOM, HANNAH],
    env: { ADMIN_EMAILS: PRIYA.email },
    clock: fixedClock(expected.asOf),
  });

  beforeAll(async () => {
    const deps = bot.container.deps;
    await importMojPlan(deps, { planId: PLAN_ID });
    const demo = JSON.parse(
      readFileSync(join(ROOT, 'demo', 'demo-assignments.json'), 'utf8'),
    ) as DemoAssignments;
    for (const area of demo.areas) {
      await addArea(deps, { planId: PLAN_ID, name: area.name, champions: [...area.champions] });
    }
    for (const a of demo.assignments) {
      await assignAction(deps, {
        planId: PLAN_ID,
        ref: a.ref,
        owners: [...a.owners],
        ...(a.area ? { area: a.area } : {}),
        by: PRIYA.email,
      });
    }
  });
  beforeEach(() => bot.connector.clear());

  describe("a champion's status card", () => {
    it.each(expected.champions.map((c) => [c.area, c] as const))(
      '%s matches the hand-computed fixture',
      async (_area, want) => {
        const from = want.email === TOM.email ? TOM : HANNAH;
        await bot.send(aMessage({ text: 'status', from }));
        const text = shown(bot.connector.messages()[0]);
        expect(text).toContain(want.title);
        expect(text).toContain(want.rag);
        expect(text).toContain(want.headline);
        for (const [status, count] of Object.entries(want.counts)) {
          expect(text).toContain(`${status}\n${count}`);
        }
        expect(text).toContain(`Overdue (${want.overdue.length})`);
        const overdueRows = text.split('\n').filter((l) => / overdue · /.test(l));
        expect(overdueRows.map((l) => /^\*\*(\S+)\*\*/.exec(l)?.[1])).toEqual(
          want.overdue.map((o) => o.ref),
        );
        want.overdue.forEach((o, i) => expect(overdueRows[i]).toContain(`${o.days} days overdue`));
        expect(text).not.toContain('Due in the next 30 days');
        expect(want.dueIn30Days).toEqual([]);
        expect(text).not.toContain('No owner (');
        expect(want.noOwner).toEqual([]);
        expect(text).toContain(`Owners not yet reachable (${want.unreachable.length})`);
        for (const u of want.unreachable)
          expect(text).toContain(`${u.email} — ${u.refs.join(', ')}`);
      },
    );
  });

  describe('the weekly digest', () => {
    /** A bot instance's scheduler: its own Teams door, the shared storage. */
    const instance = (instanceId: string, leases?: LeaseStore): DigestDeps => ({
      ...bot.container.deps,
      ...(leases ? { leases } : {}),
      poster: createTeamsBot({
        settings: bot.config.bot,
        deps: bot.container.deps,
        logger: bot.container.logger,
      }).poster,
      logger: bot.container.logger.child({ instanceId }),
      instanceId,
    });
    const channelPosts = (conversationId: string) =>
      bot.connector
        .messages()
        .filter((m) => m.kind === 'send' && m.conversationId === conversationId);

    it('is refused to someone who is neither admin nor champion, and offered in the channel only', async () => {
      const SAM = user('sam.mitchell@justice.example', 4);
      bot.connector.addMembers({ ...SAM, userPrincipalName: SAM.email });
      await bot.send(
        aMessage({ text: 'subscribe digest', in: GENERAL_CHANNEL, from: SAM, mention: true }),
      );
      expect(shown(bot.connector.messages()[0])).toContain(
        'Only a plan admin or KIM Champion can do that',
      );
      bot.connector.clear();
      await bot.send(aMessage({ text: 'subscribe digest', from: PRIYA }));
      expect(shown(bot.connector.messages()[0])).toContain(
        'The digest goes to a channel or group chat',
      );
      expect(await bot.container.deps.digestSubscriptions.list()).toEqual([]);
    });

    it('subscribes a channel, then posts exactly one digest on Monday 09:00 with two schedulers running', async () => {
      await bot.send(
        aMessage({ text: 'subscribe digest', in: GENERAL_CHANNEL, from: PRIYA, mention: true }),
      );
      expect(shown(bot.connector.messages()[0])).toContain(
        'This channel will get the weekly digest of',
      );
      expect(shown(bot.connector.messages()[0])).toContain(
        'every Monday at 09:00 (Europe/London time)',
      );
      bot.connector.clear();

      // Subscribed on Tuesday 20 June 2017; the first slot is Monday 26 June, 09:00 BST.
      const monday = new Date('2017-06-26T08:00:00.000Z');
      const reports = await Promise.all([
        sweepDigests(instance('instance-a'), monday),
        sweepDigests(instance('instance-b'), monday),
      ]);
      expect(reports.map((r) => r.posted).reduce((a, b) => a + b)).toBe(1);
      const posts = channelPosts(GENERAL_CHANNEL.id);
      expect(posts).toHaveLength(1);
      const text = shown(posts[0]);
      expect(text).toContain('Weekly digest');
      expect(text).toContain('The week 19 June 2017 to 26 June 2017');
      expect(text).toContain('Red: ');
      expect(text).toContain('Progress by recommendation');
      expect(text).not.toContain('late');
      // Priya (who owns the overdue 1.1) has written to the bot, so Teams knows her id and she is
      // @mentioned; the longest overdue come first, and only the rows shown carry mentions.
      const card = posts[0]!.body.attachments[0].content;
      expect(card.msteams.entities).toEqual([
        {
          type: 'mention',
          text: '<at>Priya Shah</at>',
          mentioned: { id: PRIYA.id, name: 'Priya Shah' },
        },
      ]);
      expect(text).toMatch(/\*\*1\.1\*\* .* overdue · <at>Priya Shah<\/at>/);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(40 * 1024);
    });

    it('posts nothing more that week after a restart, even with no lease to stop it', async () => {
      const free: LeaseStore = { acquire: async () => true, release: async () => {} };
      const wednesday = new Date('2017-06-28T10:00:00.000Z');
      const reports = await Promise.all([
        sweepDigests(instance('restarted-a', free), wednesday),
        sweepDigests(instance('restarted-b', free), wednesday),
      ]);
      expect(reports.map((r) => r.alreadyHandled)).toEqual([1, 1]);
      expect(channelPosts(GENERAL_CHANNEL.id)).toHaveLength(0);
    });

    it('sends a Monday missed while the bot was down late, once, saying so', async () => {
      // Down from before Monday 3 July 09:00 until Tuesday 11:00.
      const tuesday = new Date('2017-07-04T10:00:00.000Z');
      const free: LeaseStore = { acquire: async () => true, release: async () => {} };
      const reports = await Promise.all([
        sweepDigests(instance('after-outage-a', free), tuesday),
        sweepDigests(instance('after-outage-b', free), tuesday),
      ]);
      expect(reports.map((r) => r.late).reduce((a, b) => a + b)).toBe(1);
      await sweepDigests(instance('later'), new Date('2017-07-05T10:00:00.000Z'));
      const posts = channelPosts(GENERAL_CHANNEL.id);
      expect(posts).toHaveLength(1);
      expect(shown(posts[0])).toContain(
        'This digest is late: it was due on 3 July 2017, when the bot could not send it.',
      );
      expect(posts[0]!.body.summary).toContain('Weekly digest (late)');
    });

    it('previews the digest in Teams without posting it, and unsubscribes the channel', async () => {
      await bot.send(aMessage({ text: 'digest preview', from: TOM }));
      const preview = shown(bot.connector.messages()[0]);
      expect(preview).toContain('Weekly digest (preview)');
      expect(preview).toContain('A preview: this digest has not been posted anywhere.');
      expect(bot.connector.messages()).toHaveLength(1);

      bot.connector.clear();
      await bot.send(
        aMessage({ text: 'unsubscribe digest', in: GENERAL_CHANNEL, from: TOM, mention: true }),
      );
      expect(shown(bot.connector.messages()[0])).toContain(
        'This channel will no longer get the weekly digest',
      );
      bot.connector.clear();
      await sweepDigests(instance('after-unsubscribe'), new Date('2017-07-10T08:00:00.000Z'));
      expect(channelPosts(GENERAL_CHANNEL.id)).toHaveLength(0);
      expect(channelPosts(GROUP_CHAT.id)).toHaveLength(0);
    });
  });
});
