/**
 * npm run bench:digest — composes and renders the weekly digest (history of the week, RAG, lists,
 * charts, @mentions) for generated plans of 100, 1,000 and 10,000 actions with owners, areas and a
 * week of history, read from the in-memory repositories, and reports the build time and the card's
 * size against Teams' message limit. Results go to docs/BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { buildDigest } from '../src/app/digest/build-digest.js';
import { renderCard } from '../src/cards/render-card.js';
import type { Action, HistoryEntry, Plan } from '../src/domain/plan.js';
import { parseTarget } from '../src/domain/target.js';
import type { Status } from '../src/domain/status.js';
import { fixedClock } from '../src/ports/clock.js';
import { InMemoryPeopleRepository } from '../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../src/storage/in-memory-plan-repository.js';
import { machine, median, writeSection } from './report.js';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Monday 09:00 in London. */
const AS_OF = new Date('2027-06-21T08:00:00.000Z');
const PLAN_ID = 'bench-digest';
const PER_RECOMMENDATION = 100;
/** Teams refuses a message over about 80 KB; the bot keeps its cards under half of it. */
const LIMIT = 40 * 1024;

async function world(n: number) {
  const plans = new InMemoryPlanRepository();
  const people = new InMemoryPeopleRepository();
  const recommendations = Array.from({ length: Math.ceil(n / PER_RECOMMENDATION) }, (_, r) => ({
    number: String(r + 1),
    text: `The department should improve area ${r + 1} of its information management.`,
  }));
  const statuses: Status[] = [
    'not_started',
    'in_progress',
    'complete',
    'blocked',
    'closed',
    'in_progress',
  ];
  const targets = [
    'End Mar 2027',
    '30/06/2027',
    '30 Sept 2027',
    'Ongoing',
    '25/06/2027',
    'End 2026',
  ];
  const created = '2027-05-01T09:00:00.000Z';
  const actions: Action[] = Array.from({ length: n }, (_, i) => {
    const r = Math.floor(i / PER_RECOMMENDATION) + 1;
    const ref = `${r}.${(i % PER_RECOMMENDATION) + 1}`;
    return {
      planId: PLAN_ID,
      ref,
      recommendation: String(r),
      text: `Completing piece of work number ${i + 1}, making sure it is signed off at a senior level and reported to the board`,
      priority: (['H', 'M', 'L'] as const)[i % 3]!,
      target: parseTarget(targets[i % targets.length]!),
      status: statuses[i % statuses.length]!,
      owners: i % 9 === 0 ? [] : [`owner${i % 200}@department.gov.uk`],
      area: `Area ${i % 12}`,
      updatedAt: created,
      updatedBy: 'import:bench',
    };
  });
  // A busy week: one change in ten actions, by the owners.
  const history: HistoryEntry[] = actions
    .filter((_, i) => i % 10 === 0)
    .map((a, i) => ({
      planId: PLAN_ID,
      ref: a.ref,
      at: new Date(AS_OF.getTime() - ((i % 6) + 1) * 24 * 3600 * 1000).toISOString(),
      by: a.owners[0] ?? 'kim.admin@department.gov.uk',
      kind: 'changed',
      field: 'status',
      from: 'not_started',
      to: a.status,
    }));
  const plan: Plan = {
    id: PLAN_ID,
    title: `Generated plan of ${n} actions`,
    progressUpdate: 'May 2027',
    timeZone: 'Europe/London',
    recommendations,
    createdAt: created,
    updatedAt: created,
  };
  await plans.save(PLAN_ID, {
    plan: { value: plan, expectedVersion: null },
    actions: actions.map((a) => ({ value: a, expectedVersion: null })),
    history,
  });
  // Three owners in four have installed the bot, so they are @mentioned and reachable.
  for (let o = 0; o < 200; o++) {
    if (o % 4 === 3) continue;
    await people.savePerson({
      email: `owner${o}@department.gov.uk`,
      name: `Owner ${o}`,
      teamsUserId: `29:owner-${o}`,
      conversation: JSON.stringify({ conversation: { id: `a:owner-${o}` } }),
      reachable: true,
      updatedAt: created,
    });
  }
  return { deps: { plans, people, clock: fixedClock(AS_OF.toISOString()), renderCard }, plan };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const n of SIZES) {
    const { deps, plan } = await world(n);
    const times: number[] = [];
    let bytes = 0;
    let mentions = 0;
    let overdue = 0;
    for (let run = 0; run < RUNS + 1; run++) {
      const started = performance.now();
      const built = await buildDigest(deps, plan, AS_OF);
      const ms = performance.now() - started;
      if (run > 0) times.push(ms); // the first run warms up
      bytes = Buffer.byteLength(JSON.stringify(built.card), 'utf8');
      mentions = ((built.card['msteams'] as { entities?: unknown[] }).entities ?? []).length;
      overdue = built.digest.summary.overdue.length;
    }
    if (bytes > LIMIT)
      throw new Error(`the digest of ${n} actions is ${bytes} bytes, over ${LIMIT}`);
    rows.push(
      `| ${n.toLocaleString('en-GB')} | ${median(times).toFixed(1)} ms | ${(bytes / 1024).toFixed(1)} KB | ${((bytes / LIMIT) * 100).toFixed(0)}% | ${overdue.toLocaleString('en-GB')} | ${mentions} |`,
    );
    process.stdout.write(`${rows.at(-1)!}\n`);
  }
  const md = `## Weekly digest (\`npm run bench:digest\`)

Composing and rendering one channel's weekly digest: read the plan's actions, its whole history and
the people from the (in-memory) repositories, pick out the week's changes and completions, work out
RAG, overdue, due in 14 days, no owner and unreachable owners, and expand the Adaptive Card with
its charts and @mentions. Generated plans: 100 actions per recommendation, a third of actions
done or closed, a third of targets past, one action in nine unowned, one in ten changed in the
week, three in four of 200 owners with the bot installed. Median of ${RUNS} runs after one warm-up, ${new Date().toISOString().slice(0, 10)}, on ${machine()}.

| actions | build time | card size | of the 40 KB cap (Teams: ~80 KB) | overdue (10 shown) | @mentions |
| ------: | ---------: | --------: | -------------------------------: | -----------------: | --------: |
${rows.join('\n')}

The card shows the first 10 rows of each list and counts the rest, so its size hardly grows with
the plan; recommendations are capped at 30 bars. What grows is the reading and composing, linear
in actions and history entries.`;
  const path = writeSection('digest', md);
  process.stdout.write(`Wrote ${path}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
