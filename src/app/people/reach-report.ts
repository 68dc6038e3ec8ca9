import type { Action, Area, Plan } from '../../domain/plan.js';
import { normaliseEmail } from '../../domain/plan.js';
import { formatDate } from '../../domain/calendar.js';
import { isDone } from '../../domain/status.js';
import type {
  InstallAttempt,
  InstalledConversation,
  PeopleRepository,
  Person,
  Reach,
} from '../../ports/people-repository.js';
import { addressBook, reachBook } from '../../ports/people-repository.js';
import type { TeamsAppInstaller } from '../../ports/teams-app-installer.js';
import type { AppDeps } from '../deps.js';
import { findPlan } from '../find-plan.js';

/**
 * Who the bot can reach, and how: every owner and champion of a plan, each with their path — a
 * personal chat, a chat it opens through a team that lists them, an installation through
 * Microsoft Graph (when configured), or none, and why. For `actionplan people reach` and the
 * admins' "who can you reach?".
 */

export type ReachPath = 'chat' | 'team' | 'graph' | 'none';

export interface ReachLine {
  /** As the plan names them, lower-cased. */
  readonly email: string;
  readonly name?: string;
  readonly roles: readonly ('owner' | 'champion')[];
  /** The open actions they own. */
  readonly refs: readonly string[];
  readonly path: ReachPath;
  /** The teams (by name where known) that reach them, for `team`. */
  readonly teams?: readonly string[];
  /** Why they cannot be reached, or what Graph said last, in plain words. */
  readonly why?: string;
  /** The last Graph installation attempt for them, when there was one. */
  readonly lastInstall?: InstallAttempt;
}

export interface ReachReport {
  readonly plan: Plan;
  readonly lines: readonly ReachLine[];
  readonly counts: Readonly<Record<ReachPath, number>>;
  /** Whether Graph installation is configured (GRAPH_INSTALL_ENABLED). */
  readonly graph: boolean;
}

export type ReachDeps = AppDeps & {
  readonly people: PeopleRepository;
  /** Present when Graph installation is configured. */
  readonly installer?: TeamsAppInstaller;
};

/** What the report is drawn from: all read once, by whoever asks (the CLI, a chat command). */
export interface ReachFacts {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
  readonly people: readonly { readonly value: Person; readonly version: string }[];
  readonly conversations: readonly InstalledConversation[];
  readonly attempts: readonly InstallAttempt[];
  readonly graph: boolean;
}

/** Reads what the report needs, for the plan named (or the only one). */
export async function readReachFacts(deps: ReachDeps, planId?: string): Promise<ReachFacts> {
  const plan = (await findPlan(deps, planId)).value;
  const [actions, areas, people, conversations, attempts] = await Promise.all([
    deps.plans.listActions(plan.id),
    deps.plans.listAreas(plan.id),
    deps.people.listPeople(),
    deps.people.listConversations(),
    deps.people.listInstallAttempts(),
  ]);
  return {
    plan,
    actions: actions.map((a) => a.value),
    areas: areas.map((a) => a.value),
    people,
    conversations,
    attempts,
    graph: deps.installer !== undefined,
  };
}

/** The report: owners of open actions and the champions of the plan's areas, by path then name. */
export function reachReport(facts: ReachFacts): ReachReport {
  const reach = reachBook(facts.people);
  const book = addressBook(facts.people);
  const teamNames = new Map<string, string>();
  for (const c of facts.conversations) {
    // A team by its own name, never a channel's; a group chat by its name.
    const name = c.teamId ? c.teamName : c.name;
    const id = c.teamId ?? c.conversationId;
    if (name && !teamNames.has(id)) teamNames.set(id, name);
  }
  const attempts = new Map(facts.attempts.map((a) => [normaliseEmail(a.address), a]));
  const who = new Map<string, { roles: Set<'owner' | 'champion'>; refs: string[] }>();
  const entry = (email: string) => {
    const key = normaliseEmail(email);
    let found = who.get(key);
    if (!found) who.set(key, (found = { roles: new Set(), refs: [] }));
    return found;
  };
  for (const a of facts.actions) {
    if (isDone(a.status)) continue;
    for (const owner of a.owners) {
      const e = entry(owner);
      e.roles.add('owner');
      e.refs.push(a.ref);
    }
  }
  for (const area of facts.areas) {
    for (const champion of area.champions) entry(champion).roles.add('champion');
  }
  const lines = [...who.entries()].map(([email, { roles, refs }]): ReachLine => {
    const person = book.get(email);
    const last = attempts.get(email);
    return {
      email,
      ...(person?.name ? { name: person.name } : {}),
      roles: [...roles].sort(),
      refs,
      ...pathOf(reach(email), last, facts.graph, teamNames),
      ...(last ? { lastInstall: last } : {}),
    };
  });
  const order: Record<ReachPath, number> = { none: 0, graph: 1, team: 2, chat: 3 };
  lines.sort(
    (a, b) => order[a.path] - order[b.path] || (a.name ?? a.email).localeCompare(b.name ?? b.email),
  );
  const counts = { chat: 0, team: 0, graph: 0, none: 0 };
  for (const l of lines) counts[l.path]++;
  return { plan: facts.plan, lines, counts, graph: facts.graph };
}

/** Who can we reach, for the plan named (or the only one). */
export async function whoCanWeReach(deps: ReachDeps, planId?: string): Promise<ReachReport> {
  return reachReport(await readReachFacts(deps, planId));
}

function pathOf(
  reach: Reach,
  last: InstallAttempt | undefined,
  graph: boolean,
  teamNames: ReadonlyMap<string, string>,
): Pick<ReachLine, 'path' | 'teams' | 'why'> {
  if (reach.kind === 'chat') return { path: 'chat' };
  if (reach.kind === 'team') {
    return { path: 'team', teams: reach.teams.map((t) => teamNames.get(t) ?? t) };
  }
  // Nobody found, or known with no way in: Graph can install the app for them, unless it said
  // no for a reason a new try will not change (a refusal is shown until an admin fixes it and
  // `people reach --install` or the daily run tries again).
  const installable = graph && (reach.code === 'not_found' || reach.code === 'no_path');
  if (installable && last?.outcome === 'refused') {
    return { path: 'none', why: `${reach.reason} Microsoft Graph: ${last.reason}` };
  }
  if (installable) {
    return {
      path: 'graph',
      why:
        last?.outcome === 'installed'
          ? `Installed through Microsoft Graph on ${formatDate(last.at.slice(0, 10))}; waiting for Teams to open their chat.`
          : last?.outcome === 'failed'
            ? `The last installation did not go through: ${last.reason}`
            : 'Not installed yet: the next daily run (or actionplan people reach --install) installs the app for them.',
    };
  }
  return { path: 'none', why: reach.reason };
}

/** What a round of Graph installations did. */
export interface InstallReport {
  readonly tried: number;
  readonly installed: number;
  readonly refused: number;
  readonly failed: number;
  /** By Graph's code: `installed`, `already_installed`, `permission_missing`… */
  readonly byCode: Readonly<Record<string, number>>;
}

/**
 * Installs the app through Microsoft Graph for everyone on the report the bot cannot reach
 * otherwise (and whom Graph has not installed it for already), recording each outcome with its
 * reason. `onEach` is told after each person (a progress bar).
 */
export async function installForUnreached(
  deps: ReachDeps & { readonly installer: TeamsAppInstaller; readonly clock: { now(): Date } },
  report: ReachReport,
  options: {
    readonly retryRefused?: boolean;
    readonly onEach?: (done: number, of: number) => void;
  } = {},
): Promise<InstallReport> {
  const wanted = report.lines.filter(
    (l) =>
      (l.path === 'graph' && l.lastInstall?.outcome !== 'installed') ||
      (options.retryRefused === true && l.path === 'none' && l.lastInstall?.outcome === 'refused'),
  );
  const byCode: Record<string, number> = {};
  let installed = 0;
  let refused = 0;
  let failed = 0;
  let done = 0;
  options.onEach?.(0, wanted.length);
  // Several at once: the installer keeps to Graph's limit on requests in flight.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < wanted.length; i = next++) {
      const line = wanted[i]!;
      const result = await deps.installer.installFor(line.email);
      await deps.people.saveInstallAttempt({
        address: line.email,
        outcome: result.outcome,
        code: result.code,
        reason: result.reason,
        at: deps.clock.now().toISOString(),
        ...(result.userId ? { userId: result.userId } : {}),
      });
      byCode[result.code] = (byCode[result.code] ?? 0) + 1;
      if (result.outcome === 'installed') installed++;
      else if (result.outcome === 'refused') refused++;
      else failed++;
      options.onEach?.(++done, wanted.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, wanted.length) }, worker));
  return { tried: wanted.length, installed, refused, failed, byCode };
}
