import { assignAction } from '../../../src/app/assign-action.js';
import { runReminders } from '../../../src/app/reminders/run.js';
import { runCli, type CliEnvironment } from '../../../src/cli/program.js';
import { readPlanFile } from '../../../src/documents/plan-file.js';
import {
  aConversationUpdate,
  aMessage,
  BOT,
  personalChatOf,
  startBotDriver,
  TENANT,
  type BotDriver,
  type User,
} from '../../helpers/bot-driver.js';
import { textsOf } from '../../helpers/bot-world.js';
import { ADMIN, aTeam, anOwner, MORNING } from '../../helpers/roster-world.js';
import { startFakeGraph, type FakeGraph } from '../../helpers/fake-graph.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/**
 * "Who can we reach?" through the whole stack: the real server and storage, the fake connector
 * serving a team's roster, and a fake Microsoft Graph. Eight owners of action 1.1: one in the
 * team, one who installed the bot, and six known only by their address, whom Graph installs the
 * app for or refuses, each for its own reason. `actionplan people reach` reports every path, and
 * `--install` runs the installations; the install event that follows opens the owner's chat and
 * their reminder goes there.
 */

const TEAM_ID = '19:kim-network-general@thread.tacv2';
const KIM_NETWORK = aTeam(TEAM_ID, 'KIM network');
const APP_ID = '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const CATALOG_ID = 'c0ffee00-1111-4222-8333-444455556666';

const user = anOwner;
const ADA = user(1, 'Ada'); // a member of the team
const BEN = user(2, 'Ben'); // installed the bot himself
const CAT = user(3, 'Cat'); // Graph: installed
const DAN = user(4, 'Dan'); // Graph: 403
const EVE = user(5, 'Eve'); // Graph: nobody with that address
const FAY = user(6, 'Fay'); // Graph: found by mail, 409 already installed
const GIL = user(7, 'Gil'); // Graph: 429 with Retry-After, then 201
const HAL = user(8, 'Hal'); // Graph: an answer that is not JSON
const OWNERS = [ADA, BEN, CAT, DAN, EVE, FAY, GIL, HAL];

describe('who can we reach: a team, a personal chat, and Microsoft Graph for the rest', () => {
  let bot: BotDriver;
  let graph: FakeGraph;
  const people = () => bot.container.deps.people;
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env: CliEnvironment = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      config: bot.config,
      // The bot's own storage, left open for the bot.
      open: async () => ({
        deps: bot.container.deps,
        reminderDeps: bot.container.reminderDeps,
        close: async () => {},
      }),
      readPlanFile,
    };
    const code = await runCli(args, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the command's JSON
  const reachJson = async (...extra: string[]): Promise<any> => {
    const run = await cli('people', 'reach', '--json', ...extra);
    expect(run).toMatchObject({ code: 0, err: '' });
    return JSON.parse(run.out);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the command's JSON
  const lineOf = (report: any, who: User) =>
    report.people.find((p: { email: string }) => p.email === who.email);

  beforeAll(async () => {
    graph = await startFakeGraph();
    bot = await startBotDriver({
      env: {
        ADMIN_EMAILS: ADMIN.email,
        GRAPH_INSTALL_ENABLED: 'true',
        GRAPH_BASE_URL: graph.url,
        TEAMS_APP_ID: APP_ID,
      },
      members: [BEN, ADMIN],
      graphToken: async () => 'fake-graph-token',
    });
    graph.publishApp(APP_ID, CATALOG_ID);
    const dir = (u: User, upn = u.email) => ({
      id: u.aadObjectId!,
      userPrincipalName: upn,
      mail: u.email,
    });
    graph.addUsers(
      dir(CAT),
      dir(DAN),
      dir(FAY, 'f.owner@justice.onmicrosoft.com'),
      dir(GIL),
      dir(HAL),
    );
    graph.answerInstallFor(DAN.aadObjectId!, {
      status: 403,
      code: 'Forbidden',
      message: 'Missing role permissions on the request.',
    });
    graph.answerInstallFor(FAY.aadObjectId!, { status: 409, code: 'Conflict' });
    graph.answerInstallFor(GIL.aadObjectId!, { status: 429, retryAfterSeconds: 1, times: 1 });
    graph.answerInstallFor(HAL.aadObjectId!, { status: 'garbage' });

    const deps = bot.container.deps;
    const { planId } = await importMojPlan(deps);
    await assignAction(deps, { planId, ref: '1.1', owners: OWNERS.map((o) => o.email), by: 'cli' });
    bot.connector.setRoster(TEAM_ID, [
      {
        id: ADA.id,
        name: ADA.name,
        aadObjectId: ADA.aadObjectId!,
        email: ADA.email,
        tenantId: TENANT,
      },
    ]);
    await bot.send(
      aConversationUpdate({ from: ADMIN, in: KIM_NETWORK, membersAdded: [{ id: BOT.id }] }),
    );
    await bot.send(aConversationUpdate({ from: BEN, membersAdded: [{ id: BOT.id }] }));
  });
  afterAll(async () => {
    await bot?.close();
    await graph?.close();
  });

  it('names each owner’s path before anything is installed', async () => {
    const report = await reachJson();
    expect(report.graph).toBe(true);
    expect(lineOf(report, ADA)).toMatchObject({
      path: 'team',
      teams: ['KIM network'],
      refs: ['1.1'],
    });
    expect(lineOf(report, BEN)).toMatchObject({ path: 'chat' });
    for (const u of [CAT, DAN, EVE, FAY, GIL, HAL]) {
      expect(lineOf(report, u)).toMatchObject({ path: 'graph', roles: ['owner'] });
    }
    expect(report.counts).toMatchObject({ chat: 1, team: 1, graph: 6, none: 0 });
    expect(graph.requests).toEqual([]);

    const text = await cli('people', 'reach');
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      '1 by personal chat, 1 through a team, 6 installable through Microsoft Graph, 0 not reachable',
    );
    expect(text.out).toContain('through KIM network');
  });

  it('--install installs through Graph for those found nowhere, and reports every refusal with its reason', async () => {
    const report = await reachJson('--install');
    expect(report.install).toMatchObject({ tried: 6, installed: 3, refused: 2, failed: 1 });
    expect(report.install.byCode).toEqual({
      installed: 2,
      already_installed: 1,
      permission_missing: 1,
      user_not_found: 1,
      failed: 1,
    });

    // What Graph received: the catalogue asked once, every request with the token, the app bound.
    expect(graph.requests.filter((r) => r.path.startsWith('/appCatalogs'))).toHaveLength(1);
    for (const r of graph.requests) expect(r.authorization).toBe('Bearer fake-graph-token');
    const installs = graph.requests.filter((r) => r.method === 'POST');
    for (const r of installs) {
      expect(r.body).toEqual({
        'teamsApp@odata.bind': `${graph.url}/appCatalogs/teamsApps/${CATALOG_ID}`,
      });
    }
    // Gil's first try was throttled, then tried again after Retry-After.
    const gil = installs.filter((r) => r.path.includes(GIL.aadObjectId!)).map((r) => r.status);
    expect(gil).toEqual([429, 201]);
    // Fay was found by mail after her user name was not.
    expect(graph.requests.some((r) => r.path.includes(`mail eq '${FAY.email}'`))).toBe(true);
    expect(graph.installedFor().sort()).toEqual([CAT, FAY, GIL].map((u) => u.aadObjectId!).sort());

    expect(lineOf(report, DAN)).toMatchObject({
      path: 'none',
      lastInstall: { code: 'permission_missing' },
    });
    expect(lineOf(report, DAN).why).toContain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(lineOf(report, EVE)).toMatchObject({
      path: 'none',
      lastInstall: { code: 'user_not_found' },
    });
    expect(lineOf(report, EVE).why).toContain(
      `Nobody in the directory has the user name or mail ${EVE.email}`,
    );
    expect(lineOf(report, HAL)).toMatchObject({
      path: 'graph',
      lastInstall: { outcome: 'failed' },
    });
    expect(lineOf(report, HAL).why).toContain('not JSON');
    for (const u of [CAT, FAY, GIL]) {
      expect(lineOf(report, u).why).toMatch(/^Installed through Microsoft Graph on /);
    }
    expect((await people().listInstallAttempts()).length).toBe(6);
  });

  it('the install event follows, and the owner’s reminder goes to their new chat; the refused are reported', async () => {
    bot.connector.addMembers({ ...CAT, userPrincipalName: CAT.email });
    await bot.send(aConversationUpdate({ from: CAT, membersAdded: [{ id: BOT.id }] }));
    expect(lineOf(await reachJson(), CAT)).toMatchObject({ path: 'chat' });

    bot.connector.clear();
    await runReminders(bot.container.reminderDeps(), {
      holder: 'reach-test',
      asOf: MORNING,
      pollMs: 20,
      visibilitySeconds: 2,
    });
    const sends = bot.connector.messages().filter((m) => m.kind === 'send');
    const to = (u: User) => sends.filter((m) => m.conversationId === personalChatOf(u).id);
    expect(to(CAT)).toHaveLength(1);
    expect(to(BEN)).toHaveLength(1);
    const created = bot.connector.requests.filter((r) => r.kind === 'createConversation');
    expect(created.map((r) => r.body.members[0].id)).toEqual([ADA.id]);

    const text = await cli('people', 'reach');
    expect(text.out).toMatch(/Dan Owner|dan\.owner@justice\.gov\.uk/);
    expect(text.out).toContain('permission');
  });

  it('answers a plan admin who asks in Teams "who can you reach?", and nobody else', async () => {
    await bot.send(aConversationUpdate({ from: ADMIN, membersAdded: [{ id: BOT.id }] }));
    const ask = async (who: User) => {
      bot.connector.clear();
      await bot.send(aMessage({ from: who, text: 'who can you reach?' }));
      const [answer] = bot.connector.messages();
      return textsOf(answer?.body.attachments[0].content).join('\n');
    };
    const text = await ask(ADMIN);
    expect(text).toContain('Who I can reach');
    // Ada's chat was opened for her reminder: the team is no longer how she is reached.
    expect(text).toContain(
      '3 by their personal chat, 0 through teams, 3 installable through Microsoft Graph, 2 not reachable.',
    );
    expect(text).toContain('dan.owner@justice.gov.uk, owner of 1.1: not reachable.');
    expect(text).toMatch(
      /fay\.owner@justice\.gov\.uk, owner of 1\.1: installable through Microsoft Graph\. Installed through Microsoft Graph on \d{1,2} [A-Z][a-z]+ \d{4};/,
    );
    expect(text).toContain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(text).toContain(`Nobody in the directory has the user name or mail ${EVE.email}`);
    expect(text).toMatch(
      /hal\.owner@justice\.gov\.uk, owner of 1\.1: installable through Microsoft Graph\./,
    );
    expect(text).not.toContain('ada.owner');

    const refused = await ask(BEN);
    expect(refused).toContain('Only a plan admin can see who the bot can reach');
  });

  it('says plainly when Graph installation is off, and changes nothing', async () => {
    const off = await startBotDriver({});
    try {
      const { planId } = await importMojPlan(off.container.deps);
      await assignAction(off.container.deps, {
        planId,
        ref: '1.1',
        owners: [EVE.email],
        by: 'cli',
      });
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['people', 'reach', '--install'], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        config: off.config,
        open: async () => ({
          deps: off.container.deps,
          reminderDeps: off.container.reminderDeps,
          close: async () => {},
        }),
        readPlanFile,
      });
      expect(code).not.toBe(0);
      expect(err.join('\n')).toContain('GRAPH_INSTALL_ENABLED=true');
      expect(await off.container.deps.people.listInstallAttempts()).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
