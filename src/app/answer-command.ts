import { compareRefs, normaliseRef, recommendationOf } from '../domain/action-ref.js';
import { areaKey, findArea } from '../domain/area-name.js';
import { todayIn } from '../domain/calendar.js';
import { parseCommand, type Command } from '../domain/command.js';
import {
  defaultProgressLabel,
  EXPORT_FORMAT_NAMES,
  exportFileName,
} from '../domain/export-format.js';
import { isActionPlanError } from '../domain/errors.js';
import {
  isChampionOf,
  joinList,
  roleSummary,
  rolesOf,
  type PersonRoles,
} from '../domain/permissions.js';
import type { Action, Area, Plan } from '../domain/plan.js';
import { normaliseEmail } from '../domain/plan.js';
import {
  countByStatus,
  dueness,
  dueWithin,
  DUE_SOON_DAYS,
  overdueActions,
  progressByRecommendation,
  summariseProgress,
} from '../domain/progress.js';
import { isDone } from '../domain/status.js';
import type {
  ActionListItem,
  CardView,
  ConversationScope,
  PersonView,
} from '../ports/card-renderer.js';
import type { Person } from '../ports/people-repository.js';
import { addArea } from './add-area.js';
import { assignAction } from './assign-action.js';
import type { BotDeps } from './bot-deps.js';
import type { Actor, BotReply } from './bot-reply.js';
import { buildDigest } from './digest/build-digest.js';
import { digestAnswerFor } from './digest/digest-commands.js';
import { countsLine, exportPlan, mayExport } from './export-plan.js';
import { findPlan } from './find-plan.js';

export interface CommandInput {
  readonly actor: Actor;
  /** The message as Teams delivered it; mentions and the bot's name are stripped here. */
  readonly text: string;
  readonly scope: ConversationScope;
  /** The plan the conversation is about; without it, the only plan stored. */
  readonly planId?: string;
  /** The conversation the message came from, for `subscribe digest` in a channel or group chat. */
  readonly conversation?: {
    readonly id: string;
    /** Opaque conversation reference JSON owned by the Teams adapter. */
    readonly reference: string;
    readonly name?: string;
  };
}

/** How many history entries the action card shows, newest first. */
const HISTORY_SHOWN = 5;

/**
 * Answers one chat message: works out what was asked (parseCommand) and who is asking (their
 * roles in the plan), and replies with a card. Every message gets an answer: an unknown command a
 * hint, a refused one a polite no (nothing changes), an ActionPlanError its plain message.
 * Storage outages and bugs are thrown, for the Teams edge to log and apologise for.
 */
export async function answerCommand(deps: BotDeps, input: CommandInput): Promise<BotReply> {
  const command = parseCommand(input.text);
  try {
    return await answer(deps, command, input);
  } catch (e) {
    if (isActionPlanError(e) && e.reason !== 'storage_unavailable') {
      return notice(deps, {
        text: e.message,
        ...(e.details.length > 0 ? { details: e.details } : {}),
        tone: e.reason === 'forbidden' ? 'warning' : 'info',
      });
    }
    throw e;
  }
}

/**
 * The welcome card, for someone who has just installed the bot (or says hello): who they are in
 * the plan ("You are the KIM Champion for HMPPS and own 3 actions.") and what to try first.
 */
export async function welcome(
  deps: BotDeps,
  actor: Actor,
  options: { readonly scope?: ConversationScope; readonly planId?: string } = {},
): Promise<BotReply> {
  const found = await optionalPlan(deps, options.planId);
  const s = await situation(deps, actor, found?.plan, found?.actions ?? [], found?.areas ?? []);
  return reply(deps, {
    kind: 'welcome',
    scope: options.scope ?? 'personal',
    ...(s.name ? { name: s.name } : {}),
    ...(found ? { plan: found.plan } : {}),
    roleSummary: roleSummary(s.roles),
    isAdmin: s.roles.admin,
  });
}

async function answer(deps: BotDeps, command: Command, input: CommandInput): Promise<BotReply> {
  if (command.kind === 'welcome') {
    return welcome(deps, input.actor, {
      scope: input.scope,
      ...(input.planId ? { planId: input.planId } : {}),
    });
  }
  if (command.kind === 'help') return help(deps, input);
  if (command.kind === 'unknown') {
    return notice(deps, {
      text: `Sorry, I didn't understand “${shorten(command.text, 60)}”. Try **status**, **my actions**, **overdue**, **plan**, **action 1.1** or **help**.`,
    });
  }
  const { plan, actions, areas } = await loadPlan(deps, input.planId);
  const s = await situation(deps, input.actor, plan, actions, areas);
  switch (command.kind) {
    case 'status':
      return status(deps, s, command);
    case 'myActions':
      return myActions(deps, s);
    case 'action':
      return showAction(deps, s, command.ref);
    case 'overdue':
      return overdue(deps, s);
    case 'plan':
      return reply(deps, {
        kind: 'planProgress',
        plan,
        overall: countByStatus(actions),
        recommendations: progressByRecommendation(plan.recommendations, actions),
      });
    case 'assign':
      return assign(deps, s, command);
    case 'champion':
      return champion(deps, s, command);
    case 'usage':
      return usage(deps, s, command.command);
    case 'export':
      return exportAnswer(deps, s, command, input.scope);
    case 'subscribeDigest':
    case 'unsubscribeDigest':
    case 'digestPreview':
      return digestAnswer(deps, s, command.kind, input);
  }
}

/** Everything one answer needs to know, read once. */
interface Situation {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
  /** People by lower-cased email. */
  readonly people: ReadonlyMap<string, Person>;
  readonly roles: PersonRoles;
  readonly name?: string;
  readonly today: string;
  readonly now: Date;
}

interface LoadedPlan {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
}

async function loadPlan(deps: BotDeps, planId: string | undefined): Promise<LoadedPlan> {
  const plan = (await findPlan(deps, planId)).value;
  const [actions, areas] = await Promise.all([
    deps.plans.listActions(plan.id),
    deps.plans.listAreas(plan.id),
  ]);
  return { plan, actions: actions.map((a) => a.value), areas: areas.map((a) => a.value) };
}

/** The plan if one can be chosen; welcome and help still answer when none is imported yet. */
async function optionalPlan(deps: BotDeps, planId?: string): Promise<LoadedPlan | undefined> {
  try {
    return await loadPlan(deps, planId);
  } catch (e) {
    if (isActionPlanError(e, 'not_found') || isActionPlanError(e, 'invalid_input')) {
      return undefined;
    }
    throw e;
  }
}

async function situation(
  deps: BotDeps,
  actor: Actor,
  plan: Plan,
  actions: readonly Action[],
  areas: readonly Area[],
): Promise<Situation>;
async function situation(
  deps: BotDeps,
  actor: Actor,
  plan: Plan | undefined,
  actions: readonly Action[],
  areas: readonly Area[],
): Promise<Omit<Situation, 'plan'> & { plan?: Plan }>;
async function situation(
  deps: BotDeps,
  actor: Actor,
  plan: Plan | undefined,
  actions: readonly Action[],
  areas: readonly Area[],
): Promise<Omit<Situation, 'plan'> & { plan?: Plan }> {
  const people = new Map(
    (await deps.people.listPeople()).map((p) => [normaliseEmail(p.value.email), p.value]),
  );
  const email = actor.email
    ? normaliseEmail(actor.email)
    : actor.aadObjectId
      ? [...people.values()].find((p) => p.aadObjectId === actor.aadObjectId)?.email
      : undefined;
  const person = email ? people.get(email) : undefined;
  const roles = rolesOf({
    ...(email ? { email } : {}),
    adminEmails: deps.adminEmails,
    storedAdmin: person?.admin === true,
    areas,
    actions,
  });
  const now = deps.clock.now();
  const name = actor.name ?? person?.name;
  return {
    ...(plan ? { plan } : {}),
    actions,
    areas,
    people,
    roles,
    ...(name ? { name } : {}),
    today: todayIn(plan?.timeZone ?? 'Europe/London', now),
    now,
  };
}

/** Whether the bot can message someone: they installed it and Teams has not refused since. */
const isReachable = (p: Person | undefined): boolean =>
  p !== undefined && p.reachable && p.conversation !== undefined;

function personView(s: Pick<Situation, 'people'>, email: string): PersonView {
  const p = s.people.get(normaliseEmail(email));
  return { email, ...(p?.name ? { name: p.name } : {}), reachable: isReachable(p) };
}

const listItem = (s: Situation, action: Action): ActionListItem => ({
  action,
  owners: action.owners.map((o) => personView(s, o)),
});

async function help(deps: BotDeps, input: CommandInput): Promise<BotReply> {
  const found = await optionalPlan(deps, input.planId);
  const s = await situation(
    deps,
    input.actor,
    found?.plan,
    found?.actions ?? [],
    found?.areas ?? [],
  );
  const exampleRef =
    found?.actions.find((a) => /[a-z]$/.test(a.ref))?.ref ?? found?.actions[0]?.ref;
  const exampleArea = areaNames(found?.areas ?? [], found?.actions ?? [])[0];
  return reply(deps, {
    kind: 'help',
    scope: input.scope,
    isAdmin: s.roles.admin,
    ...(found ? { planId: found.plan.id } : {}),
    ...(exampleRef ? { exampleRef } : {}),
    ...(exampleArea ? { exampleArea } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// status

/**
 * Area names known to the plan: the stored areas, then any area an action names that was never
 * added as an area (an import can set it), so that "status X" finds every area a card can show.
 */
function areaNames(areas: readonly Area[], actions: readonly Action[]): string[] {
  const names = new Map<string, string>();
  for (const name of [...areas.map((a) => a.name), ...actions.flatMap((a) => a.area ?? [])]) {
    if (!names.has(areaKey(name))) names.set(areaKey(name), name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}

/** The known area `wanted` names, however it is written (domain/area-name.ts). */
const matchArea = (names: readonly string[], wanted: string): string | undefined =>
  findArea(names, wanted, (n) => n);

function status(
  deps: BotDeps,
  s: Situation,
  command: Extract<Command, { kind: 'status' }>,
): BotReply {
  if (command.area) {
    const known = areaNames(s.areas, s.actions);
    const area = matchArea(known, command.area);
    if (!area) {
      return notice(deps, {
        text:
          known.length > 0
            ? `There is no area “${command.area}” in this plan. The areas are: ${joinList(known)}.`
            : `There is no area “${command.area}”: this plan has no business areas yet. A plan admin can add one, for example: champion HMPPS name@department.gov.uk.`,
      });
    }
    return statusCard(deps, s, [area]);
  }
  if (!command.overall && s.roles.championOf.length > 0) {
    return statusCard(deps, s, s.roles.championOf);
  }
  return statusCard(deps, s, undefined);
}

/** A champion's status card looks a month ahead (the digest, a fortnight). */
export const STATUS_DUE_SOON_DAYS = 30;

function statusCard(deps: BotDeps, s: Situation, areas: readonly string[] | undefined): BotReply {
  const keys = new Set((areas ?? []).map(areaKey));
  const actions = areas ? s.actions.filter((a) => a.area && keys.has(areaKey(a.area))) : s.actions;
  const champions = areas
    ? [
        ...new Set(s.areas.filter((a) => keys.has(areaKey(a.name))).flatMap((a) => a.champions)),
      ].map((c) => personView(s, c))
    : undefined;
  const reachable = new Set(
    [...s.people.values()].filter(isReachable).map((p) => normaliseEmail(p.email)),
  );
  const people = new Map(
    [...new Set(actions.flatMap((a) => a.owners))].map((o) => [o, personView(s, o)]),
  );
  return reply(deps, {
    kind: 'status',
    plan: s.plan,
    ...(areas ? { areas } : {}),
    ...(champions ? { champions } : {}),
    summary: summariseProgress(s.plan, actions, s.now, reachable, STATUS_DUE_SOON_DAYS),
    people,
    recommendations: progressByRecommendation(s.plan.recommendations, actions),
  });
}

// ---------------------------------------------------------------------------------------------
// my actions, one action, overdue

function myActions(deps: BotDeps, s: Situation): BotReply {
  if (!s.roles.email) {
    return notice(deps, {
      text: "I can't see your email address, so I can't tell which actions are yours. Ask the KIM team to check that your Teams account has one.",
    });
  }
  const mine = s.actions.filter((a) => s.roles.owns.includes(a.ref));
  if (mine.length === 0) {
    return notice(deps, {
      title: 'No actions yet',
      text: `You don't own any actions in ${s.plan.title} yet. When a plan admin or your KIM Champion assigns you one, it will show here, and I'll remind you before it's due. Meanwhile **status** shows how the plan is doing.`,
    });
  }
  const ordered = [...mine].sort(byUrgency(s.today));
  const overdueCount = overdueActions(mine, s.today).length;
  const dueSoon = dueWithin(mine, s.today, DUE_SOON_DAYS).length;
  const done = mine.filter((a) => isDone(a.status)).length;
  const parts = [
    ...(overdueCount > 0 ? [`${overdueCount} overdue`] : []),
    ...(dueSoon > 0 ? [`${dueSoon} due in the next ${DUE_SOON_DAYS} days`] : []),
    ...(done > 0 ? [`${done} done`] : []),
  ];
  return reply(deps, {
    kind: 'actionList',
    plan: s.plan,
    title: `Your actions (${mine.length})`,
    intro: `You own ${mine.length === 1 ? '1 action' : `${mine.length} actions`}${parts.length ? `: ${joinList(parts)}` : ''}. Select one to update it.`,
    items: ordered.map((a) => listItem(s, a)),
    today: s.today,
  });
}

/** Open actions first, the most urgent first (overdue, then soonest); undated, then done, last. */
function byUrgency(today: string): (a: Action, b: Action) => number {
  const rank = (a: Action): [number, string] => {
    const d = dueness(a, today);
    if (d.kind === 'done') return [3, ''];
    if (d.kind === 'overdue' || d.kind === 'due') {
      return [0, a.target.kind === 'date' ? a.target.date : ''];
    }
    return [d.kind === 'ongoing' ? 1 : 2, ''];
  };
  return (a, b) => {
    const [ra, da] = rank(a);
    const [rb, db] = rank(b);
    return ra - rb || da.localeCompare(db) || compareRefs(a.ref, b.ref);
  };
}

async function showAction(deps: BotDeps, s: Situation, refText: string): Promise<BotReply> {
  const ref = normaliseRef(refText) ?? refText;
  const found = await deps.plans.getAction(s.plan.id, ref);
  if (!found)
    return notice(deps, { text: `There is no action ${ref} in this plan. ${nearbyRefs(s, ref)}` });
  const history = (await deps.plans.listHistory(s.plan.id, ref)).slice(-HISTORY_SHOWN).reverse();
  const action = found.value;
  const updatedByName = s.people.get(normaliseEmail(action.updatedBy))?.name;
  return reply(deps, {
    kind: 'action',
    plan: s.plan,
    action,
    version: found.version,
    owners: action.owners.map((o) => personView(s, o)),
    ...(updatedByName ? { updatedByName } : {}),
    history: history.map((h) => {
      const byName = s.people.get(normaliseEmail(h.by))?.name;
      return byName ? { ...h, byName } : h;
    }),
    today: s.today,
  });
}

/** "Recommendation 4 has actions 4.1 to 4.9d.": a way back from a mistyped ref. */
function nearbyRefs(s: Situation, ref: string): string {
  const refs = s.actions.map((a) => a.ref).sort(compareRefs);
  const same = refs.filter((r) => recommendationOf(r) === recommendationOf(ref));
  if (same.length > 0) {
    return `Recommendation ${recommendationOf(ref)} has actions ${same[0]!}${same.length > 1 ? ` to ${same[same.length - 1]!}` : ''}.`;
  }
  return refs.length > 0
    ? `The plan's actions run from ${refs[0]!} to ${refs[refs.length - 1]!}.`
    : 'The plan has no actions yet.';
}

function overdue(deps: BotDeps, s: Situation): BotReply {
  const all = overdueActions([...s.actions], s.today);
  if (all.length === 0) {
    return notice(deps, {
      title: 'Nothing is overdue',
      text: `Every open action in ${s.plan.title} is within its target date.`,
      tone: 'good',
    });
  }
  const theirs = s.roles.championOf;
  const inTheirAreas = all.filter((o) => isChampionOf(s.roles, o.action.area));
  const ordered = [...inTheirAreas, ...all.filter((o) => !isChampionOf(s.roles, o.action.area))];
  const intro =
    theirs.length === 0
      ? 'The longest overdue first. Select one to see who owns it and its history.'
      : inTheirAreas.length > 0
        ? `The ${inTheirAreas.length} in your ${theirs.length === 1 ? 'area' : 'areas'} (${joinList(theirs)}) come first, the longest overdue first.`
        : `None of them is in your ${theirs.length === 1 ? 'area' : 'areas'} (${joinList(theirs)}).`;
  return reply(deps, {
    kind: 'actionList',
    plan: s.plan,
    title: `Overdue actions (${all.length})`,
    intro,
    items: ordered.map((o) => listItem(s, o.action)),
    today: s.today,
  });
}

// ---------------------------------------------------------------------------------------------
// admin commands

const EXAMPLE_EMAIL = 'name@department.gov.uk';

function refusal(deps: BotDeps, what: string): BotReply {
  return notice(deps, {
    title: 'Only a plan admin can do that',
    text: `Only a plan admin can ${what}, so nothing has changed. If it needs doing, ask the KIM team.`,
    tone: 'warning',
  });
}

async function assign(
  deps: BotDeps,
  s: Situation,
  command: Extract<Command, { kind: 'assign' }>,
): Promise<BotReply> {
  if (!s.roles.admin) return refusal(deps, 'assign actions');
  const stored = s.areas.map((a) => a.name);
  const area = command.area ? matchArea(stored, command.area) : undefined;
  if (command.area && !area) {
    return notice(deps, {
      text: `There is no area “${command.area}” yet, so nothing has changed. Add it first with its KIM Champion: champion ${command.area} ${EXAMPLE_EMAIL}${stored.length > 0 ? `; or use one of: ${joinList(stored)}` : ''}.`,
    });
  }
  const result = await assignAction(deps, {
    planId: s.plan.id,
    ref: command.ref,
    owners: command.owners,
    ...(area ? { area } : {}),
    by: s.roles.email ?? 'teams',
  });
  const ref = result.action.value.ref;
  const owners = command.owners.map((o) => personView(s, o));
  if (result.changes.length === 0) {
    return notice(deps, {
      text: `Action ${ref} already had ${area ? 'that owner and area' : 'that owner'}; nothing has changed.`,
    });
  }
  return notice(deps, {
    title: `Action ${ref} assigned`,
    text: `Action ${ref} is now owned by ${joinList(owners.map(nameOf))}${area ? ` in ${area}` : ''}.`,
    details: notReachableLines(owners),
    tone: 'good',
  });
}

async function champion(
  deps: BotDeps,
  s: Situation,
  command: Extract<Command, { kind: 'champion' }>,
): Promise<BotReply> {
  if (!s.roles.admin) return refusal(deps, 'name KIM Champions');
  const existing = findArea(s.areas, command.area, (a) => a.name);
  const already = command.emails.filter((e) => existing?.champions.includes(e));
  const added = command.emails.filter((e) => !already.includes(e));
  const area = await addArea(deps, {
    planId: s.plan.id,
    name: command.area,
    champions: command.emails,
  });
  const people = (emails: readonly string[]): string =>
    joinList(emails.map((e) => nameOf(personView(s, e))));
  const lines = [
    ...(added.length > 0
      ? [
          existing
            ? `${people(added)} ${added.length === 1 ? 'is' : 'are'} now ${added.length === 1 ? 'a KIM Champion' : 'KIM Champions'} for ${area.name}.`
            : `Added the area ${area.name}, with ${people(added)} as KIM Champion.`,
        ]
      : []),
    ...(already.length > 0
      ? [
          `${people(already)} ${already.length === 1 ? 'was' : 'were'} already KIM Champion for ${area.name}.`,
        ]
      : []),
  ];
  return notice(deps, {
    title: `KIM Champions for ${area.name}`,
    text: lines.join(' '),
    details: notReachableLines(added.map((e) => personView(s, e))),
    tone: added.length > 0 ? 'good' : 'info',
  });
}

function usage(deps: BotDeps, s: Situation, command: 'assign' | 'champion'): BotReply {
  if (!s.roles.admin) {
    return refusal(deps, command === 'assign' ? 'assign actions' : 'name KIM Champions');
  }
  const example = s.actions[0]?.ref ?? '1.1';
  const area = areaNames(s.areas, s.actions)[0] ?? 'HMPPS';
  return notice(deps, {
    text:
      command === 'assign'
        ? `To assign an action, write: assign ${example} to ${EXAMPLE_EMAIL} — and add “area ${area}” to set its area too. Owners are given by email address; several can be separated by commas.`
        : `To name a KIM Champion, write: champion ${area} ${EXAMPLE_EMAIL}. The area is added if it is new.`,
  });
}

const nameOf = (p: PersonView): string => (p.name ? `${p.name} (${p.email})` : p.email);

/** Warnings for people the bot cannot message yet: nothing will reach them until they install it. */
function notReachableLines(people: readonly PersonView[]): string[] {
  return people
    .filter((p) => !p.reachable)
    .map(
      (p) =>
        `${p.name ?? p.email} hasn't installed the bot yet, so I can't message them until they do.`,
    );
}

// ---------------------------------------------------------------------------------------------
// export

/**
 * The progress update as a file. Teams lets a bot send a file only in a personal chat, and only
 * once the person accepts it (a file consent card; the upload goes to their OneDrive), so there the
 * answer is the update's summary with the file offered under it. In a group chat or channel the
 * answer is the summary and how to get the file: ask in a personal chat, or run the command line.
 */
async function exportAnswer(
  deps: BotDeps,
  s: Situation,
  command: Extract<Command, { kind: 'export' }>,
  scope: ConversationScope,
): Promise<BotReply> {
  if (!mayExport(s.roles)) {
    return notice(deps, {
      title: 'Only a plan admin or KIM Champion can do that',
      text: 'Only a plan admin or a KIM Champion can export the progress update, as it lists every owner and note. **status** and **plan** show where things stand; for the file, ask the KIM team.',
      tone: 'warning',
    });
  }
  const label = command.label ?? defaultProgressLabel(s.now, s.plan.timeZone);
  const fileName = exportFileName(s.plan.id, label, command.format);
  const cli = `npx actionplan export --plan ${s.plan.id} --format ${command.format} --label "${label}" --out ${fileName}`;
  const counts = countByStatus(s.actions);
  const perRecommendation = progressByRecommendation(s.plan.recommendations, s.actions).map(
    (r) => `Recommendation ${r.number}: ${r.counts.done} of ${r.counts.total} done`,
  );
  const summary = `${s.plan.title}: ${countsLine(counts)} (${counts.percentDone}% done).`;
  const title = `Progress update – ${label}`;
  const writeProgressUpdate = deps.writeProgressUpdate;
  if (scope !== 'personal' || !writeProgressUpdate) {
    return notice(deps, {
      title,
      text: `${summary} ${
        scope !== 'personal'
          ? `Teams lets me send files only in a personal chat: message me **export** there and I'll send the ${EXPORT_FORMAT_NAMES[command.format]} file, or the KIM team can run: ${cli}`
          : `I can't make files here; the KIM team can run: ${cli}`
      }`,
      details: perRecommendation,
    });
  }
  const exported = await exportPlan(
    { plans: deps.plans, clock: deps.clock, writeProgressUpdate },
    { planId: s.plan.id, format: command.format, label, asOf: s.now },
  );
  const formatName = EXPORT_FORMAT_NAMES[command.format];
  return {
    ...notice(deps, {
      title,
      text: `${summary} Accept the ${formatName} file below and I'll save it to your OneDrive and share it here.`,
      details: perRecommendation,
    }),
    file: {
      name: exported.fileName,
      sizeInBytes: exported.bytes.length,
      description: `${s.plan.title} – Progress update – ${label} (${formatName})`,
      request: {
        planId: s.plan.id,
        format: command.format,
        label: exported.label,
        asOf: exported.asOf.toISOString(),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the weekly digest (src/app/digest)

async function digestAnswer(
  deps: BotDeps,
  s: Situation,
  kind: 'subscribeDigest' | 'unsubscribeDigest' | 'digestPreview',
  input: CommandInput,
): Promise<BotReply> {
  const answered = await digestAnswerFor(deps, {
    kind,
    plan: s.plan,
    roles: s.roles,
    scope: input.scope,
    now: s.now,
    ...(input.conversation ? { conversation: input.conversation } : {}),
  });
  if (answered.kind === 'notice') return notice(deps, answered.view);
  // Drawn with its own plain fallback (build-digest.ts), should the card be too big.
  return { card: (await buildDigest(deps, s.plan, s.now, { preview: true })).card };
}

// ---------------------------------------------------------------------------------------------
// replies

function notice(
  deps: BotDeps,
  view: Omit<Extract<CardView, { kind: 'message' }>, 'kind'>,
): BotReply {
  return reply(deps, { kind: 'message', ...view });
}

/**
 * Renders a view; a card that would be too big for Teams is drawn as the renderer's notice that
 * the answer is too long (ports/card-renderer.ts).
 */
function reply(deps: BotDeps, view: CardView): BotReply {
  return { card: deps.renderCard(view) };
}

const shorten = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
