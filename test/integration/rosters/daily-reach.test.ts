import { assignAction } from '../../../src/app/assign-action.js';
import { runDailyReach } from '../../../src/app/people/daily-reach.js';
import { reachOf } from '../../../src/ports/people-repository.js';
import {
  aConversationUpdate,
  BOT,
  startBotDriver,
  type BotDriver,
} from '../../helpers/bot-driver.js';
import { ADMIN, aTeam, anOwner } from '../../helpers/roster-world.js';
import { startFakeGraph, type FakeGraph } from '../../helpers/fake-graph.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/**
 * The scheduler's daily job through the real storage, the fake connector and the fake Graph: the
 * roster is read again, catching a member who joined and one who left while no event came, and
 * the app is installed through Graph for the owner found nowhere. Once a day, whoever asks again.
 */

const TEAM_ID = '19:daily-team@thread.tacv2';
const TEAM = aTeam(TEAM_ID, 'KIM network');
const APP_ID = '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const member = anOwner;
const ADA = member(1, 'Ada'); // in the team throughout
const BEN = member(2, 'Ben'); // leaves while no event comes
const CAT = member(3, 'Cat'); // joins while no event comes
const DAN = member(4, 'Dan'); // in no team: Graph installs the app for him

describe('the daily roster job', () => {
  let bot: BotDriver;
  let graph: FakeGraph;
  const people = () => bot.container.deps.people;
  const daily = (holder = 'instance-1') =>
    runDailyReach(
      {
        ...bot.container.deps,
        rosters: bot.container.rosterSyncer(),
        logger: bot.container.deps.logger,
      },
      holder,
    );

  beforeAll(async () => {
    graph = await startFakeGraph();
    bot = await startBotDriver({
      env: {
        ADMIN_EMAILS: ADMIN.email,
        GRAPH_INSTALL_ENABLED: 'true',
        GRAPH_BASE_URL: graph.url,
        TEAMS_APP_ID: APP_ID,
      },
      graphToken: async () => 'fake-graph-token',
    });
    graph.publishApp(APP_ID, 'c0ffee00-1111-4222-8333-444455556666');
    graph.addUsers({ id: DAN.aadObjectId!, userPrincipalName: DAN.email!, mail: DAN.email! });
    const { planId } = await importMojPlan(bot.container.deps);
    await assignAction(bot.container.deps, {
      planId,
      ref: '1.1',
      owners: [ADA, BEN, CAT, DAN].map((m) => m.email!),
      by: 'cli',
    });
    bot.connector.setRoster(TEAM_ID, [ADA, BEN]);
    await bot.send(aConversationUpdate({ from: ADMIN, in: TEAM, membersAdded: [{ id: BOT.id }] }));
    // Teams' roster changes, and the events are missed.
    bot.connector.setRoster(TEAM_ID, [ADA, CAT]);
  });
  afterAll(async () => {
    await bot?.close();
    await graph?.close();
  });

  it('reads every roster again and installs the app through Graph for the owner found nowhere', async () => {
    const report = await daily();
    expect(report).toMatchObject({ ran: true, rosters: 1, rostersFailed: 0, installed: 1 });
    const roster = (await people().listRoster(TEAM_ID)).map((e) => e.email).sort();
    expect(roster).toEqual([ADA.email, CAT.email]);
    expect(reachOf((await people().getByEmail(CAT.email!))?.value)).toEqual({
      kind: 'team',
      teams: [TEAM_ID],
    });
    expect(reachOf((await people().getByEmail(BEN.email!))?.value)).toMatchObject({
      kind: 'none',
      code: 'no_path',
    });
    // Dan was installed for; Ben (known, with no path) was tried too and is not in the directory.
    expect(graph.installedFor()).toEqual([DAN.aadObjectId]);
    const attempts = await people().listInstallAttempts();
    expect(attempts.find((a) => a.address === DAN.email)).toMatchObject({ code: 'installed' });
    expect(attempts.find((a) => a.address === BEN.email)).toMatchObject({
      code: 'user_not_found',
    });
  });

  it('runs once a day, whichever instance asks again', async () => {
    const before = graph.requests.length;
    const reads = bot.connector.rosterReads.length;
    expect(await daily('instance-2')).toEqual({ ran: false });
    expect(await daily('instance-1')).toEqual({ ran: false });
    expect(graph.requests.length).toBe(before);
    expect(bot.connector.rosterReads.length).toBe(reads);
  });
});
