import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readConfig } from '../../src/config.js';
import { openContainer, type Container } from '../../src/container.js';
import {
  DEMO_AUTHOR,
  defaultDemoFiles,
  projectRoot,
  readDemoAssignments,
  seedDemoPlan,
} from '../../src/dev/demo-seed.js';
import { canOpenBrowser, listeningPort, startPlayground } from '../../src/dev/playground.js';
import { readPlanFile } from '../../src/documents/plan-file.js';
import { silentLogger } from '../../src/ports/logger.js';

/**
 * `npm start` seeds a fresh local store with the demo plan so there is something to talk to in
 * the Agents Playground. It must do so once: a restart must not import the plan again, and must
 * not undo what was changed in the demo since.
 */

const ROOT = projectRoot(__dirname);
const FILES = defaultDemoFiles(ROOT);

/** A container on the embedded Azurite, persistent under `dataDir`, as npm start opens it. */
function open(dataDir: string): Promise<Container> {
  const config = readConfig({
    ACTIONPLAN_DATA_DIR: dataDir,
    AZURITE_TABLE_PORT: '0',
    AZURITE_QUEUE_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  return openContainer(config, { logger: silentLogger });
}

describe('seeding the demo plan (npm start)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'actionplan-start-local-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports the demo plan and applies the assignments on the first start only', async () => {
    const first = await open(dataDir);
    try {
      const outcome = await seedDemoPlan(first.deps, FILES, readPlanFile);
      expect(outcome).toMatchObject({ seeded: true, actionCount: 42, areaCount: 3 });
      expect(outcome.assignedCount).toBeGreaterThan(0);

      const [plan] = await first.deps.plans.listPlans();
      const planId = plan!.value.id;
      expect(outcome.planIds).toEqual([planId]);
      expect(plan!.value.title).toBe('Ministry of Justice IMA Action Plan (demo)');

      const areas = await first.deps.plans.listAreas(planId);
      expect(Object.fromEntries(areas.map((a) => [a.value.name, a.value.champions]))).toEqual({
        HMPPS: ['tom.okafor@justice.example'],
        HMCTS: ['hannah.lewis@justice.example'],
        'MoJ HQ': [],
      });

      const shared = await first.deps.plans.getAction(planId, '4.9a');
      expect(shared?.value).toMatchObject({
        owners: ['hannah.lewis@justice.example', 'sam.mitchell@justice.example'],
        area: 'HMCTS',
      });
      const history = await first.deps.plans.listHistory(planId, '4.9a');
      expect(history.filter((h) => h.by === DEMO_AUTHOR).map((h) => h.field)).toEqual(
        expect.arrayContaining(['owners', 'area']),
      );

      // Every assignment in the file is in storage.
      const demo = await readDemoAssignments(FILES.assignmentsPath);
      for (const a of demo.assignments) {
        const action = await first.deps.plans.getAction(planId, a.ref);
        expect({ ref: a.ref, owners: action?.value.owners, area: action?.value.area }).toEqual({
          ref: a.ref,
          owners: a.owners,
          area: a.area,
        });
      }
      // Someone uses the demo: Priya gives action 1.2 to Gareth.
      await first.deps.plans.save(planId, {
        actions: [
          {
            value: {
              ...(await first.deps.plans.getAction(planId, '1.2'))!.value,
              owners: ['gareth.evans@justice.example'],
            },
          },
        ],
      });
    } finally {
      await first.close();
    }

    // The second start, on the same data directory.
    const second = await open(dataDir);
    try {
      const [plan] = await second.deps.plans.listPlans();
      const planId = plan!.value.id;
      const historyBefore = await second.deps.plans.listHistory(planId);

      const outcome = await seedDemoPlan(second.deps, FILES, readPlanFile);

      expect(outcome).toMatchObject({ seeded: false, planIds: [planId], assignedCount: 0 });
      expect(await second.deps.plans.listPlans()).toHaveLength(1);
      expect(await second.deps.plans.listActions(planId)).toHaveLength(42);
      expect(await second.deps.plans.listAreas(planId)).toHaveLength(3);
      expect(await second.deps.plans.listHistory(planId)).toHaveLength(historyBefore.length);
      expect((await second.deps.plans.getAction(planId, '1.2'))?.value.owners).toEqual([
        'gareth.evans@justice.example',
      ]);
    } finally {
      await second.close();
    }
  });

  it('leaves storage alone when it holds any other plan', async () => {
    const container = await openContainer(readConfig({ LOG_LEVEL: 'silent' }), {
      inMemory: true,
      logger: silentLogger,
    });
    try {
      await container.deps.plans.save('another-plan', {
        plan: {
          value: {
            id: 'another-plan',
            title: 'Another plan',
            progressUpdate: 'June 2024',
            timeZone: 'Europe/London',
            recommendations: [],
            createdAt: '2024-06-01T09:00:00.000Z',
            updatedAt: '2024-06-01T09:00:00.000Z',
          },
          expectedVersion: null,
        },
      });
      const outcome = await seedDemoPlan(container.deps, FILES, readPlanFile);
      expect(outcome).toMatchObject({ seeded: false, planIds: ['another-plan'] });
      expect(await container.deps.plans.listPlans()).toHaveLength(1);
    } finally {
      await container.close();
    }
  });

  it('writes nothing when the assignments do not fit the plan', async () => {
    const container = await openContainer(readConfig({ LOG_LEVEL: 'silent' }), {
      inMemory: true,
      logger: silentLogger,
    });
    const dir = await mkdtemp(join(tmpdir(), 'actionplan-demo-'));
    try {
      const broken = join(dir, 'demo-assignments.json');
      await writeFile(
        broken,
        JSON.stringify({
          admins: [],
          areas: [{ name: 'HMPPS', champions: ['tom.okafor@justice.example'] }],
          assignments: [{ ref: '9.9', owners: ['sam.mitchell@justice.example'], area: 'LAA' }],
        }),
      );
      await expect(
        seedDemoPlan(
          container.deps,
          { planPath: FILES.planPath, assignmentsPath: broken },
          readPlanFile,
        ),
      ).rejects.toThrow(/no action 9\.9[\s\S]*area "LAA"/);
      expect(await container.deps.plans.listPlans()).toHaveLength(0);
    } finally {
      await container.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo people', () => {
  /**
   * The Playground's people, read with a regex rather than a YAML parser (no new packages): each
   * user block has exactly one `email:` line.
   */
  async function playgroundPeople(): Promise<{ current: string; all: string[] }> {
    const yaml = await readFile(join(ROOT, '.m365agentsplayground.yml'), 'utf8');
    const current = /^currentUser:\n(?:[ \t].*\n)*?[ \t]+email:[ \t]*(\S+)/m.exec(yaml)?.[1];
    const all = [...yaml.matchAll(/^[ \t]+email:[ \t]*(\S+)/gm)].map((m) => m[1]!.toLowerCase());
    if (!current) throw new Error('.m365agentsplayground.yml has no currentUser email');
    return { current: current.toLowerCase(), all };
  }

  it('every admin, champion and owner in demo-assignments.json is a Playground user', async () => {
    const { all } = await playgroundPeople();
    expect(all).toHaveLength(6); // the current user and the five others the Playground allows
    const demo = await readDemoAssignments(FILES.assignmentsPath);
    const named = [
      ...demo.admins,
      ...demo.areas.flatMap((a) => a.champions),
      ...demo.assignments.flatMap((a) => a.owners),
    ];
    expect(named.filter((email) => !all.includes(email))).toEqual([]);
    // …and every Playground user has a part in the demo.
    expect(all.filter((email) => !named.includes(email))).toEqual([]);
  });

  it('the Playground user is the demo admin', async () => {
    const { current } = await playgroundPeople();
    const demo = await readDemoAssignments(FILES.assignmentsPath);
    expect(demo.admins).toEqual([current]);
  });
});

describe('the Agents Playground', () => {
  it('opens a browser only where there is a screen, unless told', () => {
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
    expect(canOpenBrowser({}, 'win32')).toBe(true);
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WSL_DISTRO_NAME: 'Ubuntu' }, 'linux')).toBe(true);
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ CI: 'true', DISPLAY: ':0' }, 'linux')).toBe(false);
    expect(canOpenBrowser({ CI: '1' }, 'darwin')).toBe(false);
    expect(canOpenBrowser({ CI: 'false' }, 'darwin')).toBe(true);
    expect(canOpenBrowser({ TEAMSAPPTESTER_BROWSER: 'none' }, 'darwin')).toBe(false);
    expect(canOpenBrowser({ TEAMSAPPTESTER_BROWSER: 'firefox', CI: 'true' }, 'linux')).toBe(true);
  });

  it('reads the port from its "Listening on" line', () => {
    expect(listeningPort('Listening on 56150')).toBe(56150);
    expect(listeningPort('log Listening on 40575')).toBe(40575);
    expect(listeningPort('Waiting for connection of endpoint')).toBeUndefined();
  });

  it('starts with the demo people, serves its page, and stops', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'actionplan-playground-'));
    try {
      const playground = await startPlayground({
        endpoint: 'http://127.0.0.1:9/api/messages',
        port: 0,
        openBrowser: false,
        configPath: join(ROOT, '.m365agentsplayground.yml'),
        cwd,
        onLine: () => undefined,
      });
      try {
        expect(playground.url).toBe(`http://localhost:${playground.port}`);
        const page = await fetch(playground.url);
        expect(page.status).toBe(200);
        await page.body?.cancel();
      } finally {
        await playground.stop();
      }
      await expect(playground.exited).resolves.toBeDefined();
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('says why when it refuses its config file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'actionplan-playground-'));
    try {
      const configPath = join(cwd, 'broken.yml');
      await writeFile(configPath, 'version: "0.1.1"\ntenantId: t\n');
      await expect(
        startPlayground({
          endpoint: 'http://127.0.0.1:9/api/messages',
          port: 0,
          openBrowser: false,
          configPath,
          cwd,
          onLine: () => undefined,
        }),
      ).rejects.toThrow(/stopped as it started[\s\S]*must have required property 'bot'/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
