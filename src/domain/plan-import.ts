import { compareRefs } from './action-ref.js';
import { sameArea } from './area-name.js';
import type { ParsedAction, ParsedPlan } from './parsed-plan.js';
import type { Action, HistoryEntry, Plan } from './plan.js';
import { priorityLabel } from './priority.js';
import { statusLabel } from './status.js';
import { parseTarget, sameTarget } from './target.js';

/** One field of one action that an import changes. */
export interface FieldChange {
  readonly ref: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** What importing a document into a plan does, before anything is written. */
export interface ImportOutcome {
  readonly plan: Plan;
  readonly created: boolean;
  /** Actions to write (new or changed); unchanged ones are left alone. */
  readonly actions: readonly { readonly action: Action; readonly isNew: boolean }[];
  readonly history: readonly HistoryEntry[];
  readonly added: readonly string[];
  readonly changes: readonly FieldChange[];
  readonly unchanged: readonly string[];
  /** Stored actions the document no longer lists: kept, never deleted by an import. */
  readonly notInDocument: readonly string[];
  /** Things kept on purpose that the document disagrees with (an owner assigned in the bot…). */
  readonly kept: readonly string[];
}

export interface ImportContext {
  readonly planId: string;
  readonly timeZone: string;
  /** ISO instant of the import. */
  readonly at: string;
  /** Who or what imports: "import:<file name>". */
  readonly by: string;
}

/** Turns one parsed row into a stored action (used for new actions). */
export function actionFromParsed(planId: string, p: ParsedAction, at: string, by: string): Action {
  return {
    planId,
    ref: p.ref,
    recommendation: p.recommendation,
    text: p.text,
    priority: p.priority,
    target: parseTarget(p.targetText),
    status: p.status,
    owners: p.owners ?? [],
    ...(p.area ? { area: p.area } : {}),
    ...(p.note ? { note: p.note } : {}),
    updatedAt: at,
    updatedBy: by,
  };
}

/**
 * Works out what importing `parsed` does to a plan (or creates it). The document is the newer
 * progress update, so its text, priority, target and status win, each change going to history;
 * owners, areas and notes given in the bot since are kept (the document only fills blanks), and
 * actions missing from the document are kept and reported, never deleted.
 */
export function planImport(
  existing: { plan: Plan; actions: readonly Action[] } | undefined,
  parsed: ParsedPlan,
  ctx: ImportContext,
): ImportOutcome {
  const { at, by, planId } = ctx;
  const note = parsed.progressUpdate ? `Progress update – ${parsed.progressUpdate}` : undefined;
  const plan: Plan = {
    id: planId,
    title: parsed.title || existing?.plan.title || planId,
    progressUpdate: parsed.progressUpdate || existing?.plan.progressUpdate || '',
    timeZone: existing?.plan.timeZone ?? ctx.timeZone,
    recommendations: mergeRecommendations(
      existing?.plan.recommendations ?? [],
      parsed.recommendations,
    ),
    createdAt: existing?.plan.createdAt ?? at,
    updatedAt: at,
    // Settings are the bot's, not the document's: a newer progress update keeps them.
    ...(existing?.plan.settings ? { settings: existing.plan.settings } : {}),
  };

  const stored = new Map((existing?.actions ?? []).map((a) => [a.ref, a]));
  const writes: { action: Action; isNew: boolean }[] = [];
  const history: HistoryEntry[] = [];
  const added: string[] = [];
  const changes: FieldChange[] = [];
  const unchanged: string[] = [];
  const kept: string[] = [];

  for (const p of parsed.actions) {
    const before = stored.get(p.ref);
    if (!before) {
      const action = actionFromParsed(planId, p, at, by);
      writes.push({ action, isNew: true });
      added.push(p.ref);
      history.push({ planId, ref: p.ref, at, by, kind: 'created', ...(note ? { note } : {}) });
      continue;
    }
    const after = updatedAction(before, p, at, by, kept);
    const diff = fieldChanges(before, after);
    if (diff.length === 0) {
      unchanged.push(p.ref);
      continue;
    }
    writes.push({ action: after, isNew: false });
    changes.push(...diff);
    history.push(
      ...diff.map((c) => ({
        planId,
        ref: c.ref,
        at,
        by,
        kind: 'changed' as const,
        field: c.field,
        from: c.from,
        to: c.to,
        ...(note ? { note } : {}),
      })),
    );
  }
  const inDocument = new Set(parsed.actions.map((a) => a.ref));
  const notInDocument = [...stored.keys()].filter((r) => !inDocument.has(r)).sort(compareRefs);

  return {
    plan,
    created: !existing,
    actions: writes,
    history,
    added,
    changes,
    unchanged,
    notInDocument,
    kept,
  };
}

function updatedAction(
  before: Action,
  p: ParsedAction,
  at: string,
  by: string,
  kept: string[],
): Action {
  // The same date written another way (an export shows "30 September 2017" for a stored
  // "2017-09-30") is no change: the text the plan has is kept.
  const incoming = parseTarget(p.targetText);
  const target = sameTarget(incoming, before.target) ? before.target : incoming;
  let owners = before.owners;
  const named = p.owners ?? [];
  if (named.length > 0 && named.join(', ') !== before.owners.join(', ')) {
    if (before.owners.length === 0) owners = named;
    else {
      kept.push(
        `${p.ref}: kept owner ${before.owners.join(', ')}; the document says ${named.join(', ')}.`,
      );
    }
  }
  let area = before.area;
  if (p.area && !sameArea(p.area, before.area)) {
    if (!before.area) area = p.area;
    else kept.push(`${p.ref}: kept area ${before.area}; the document says ${p.area}.`);
  }
  const note = before.note ?? p.note;
  const changed: Action = {
    ...before,
    recommendation: p.recommendation,
    text: p.text,
    priority: p.priority,
    target,
    status: p.status,
    owners,
    ...(area ? { area } : {}),
    ...(note ? { note } : {}),
  };
  return fieldChanges(before, changed).length > 0
    ? { ...changed, updatedAt: at, updatedBy: by }
    : before;
}

/** The fields an import may change, shown as people read them (history keeps these strings). */
const FIELDS: readonly [string, (a: Action) => string][] = [
  ['text', (a) => a.text],
  ['recommendation', (a) => a.recommendation],
  ['priority', (a) => priorityLabel(a.priority)],
  ['target', (a) => a.target.text],
  ['status', (a) => statusLabel(a.status)],
  ['owners', (a) => a.owners.join(', ')],
  ['area', (a) => a.area ?? ''],
  ['note', (a) => a.note ?? ''],
];

export function fieldChanges(before: Action, after: Action): FieldChange[] {
  return FIELDS.flatMap(([field, get]) => {
    const from = get(before);
    const to = get(after);
    return from === to ? [] : [{ ref: after.ref, field, from, to }];
  });
}

function mergeRecommendations(
  stored: readonly { number: string; text: string }[],
  parsed: readonly { number: string; text: string }[],
): { number: string; text: string }[] {
  const byNumber = new Map(stored.map((r) => [r.number, r.text]));
  for (const r of parsed) if (r.text || !byNumber.has(r.number)) byNumber.set(r.number, r.text);
  return [...byNumber.entries()]
    .map(([number, text]) => ({ number, text }))
    .sort((a, b) => Number(a.number) - Number(b.number));
}

/** A plan id from its title: "Ministry of Justice IMA Action Plan" → "ministry-of-justice-ima-action-plan". */
export function planIdFromTitle(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'plan';
}

const PLAN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const isPlanId = (id: string): boolean => PLAN_ID.test(id);

/**
 * The month a "Progress update – <label>" speaks for, as YYYY-MM-DD (last day), or undefined when
 * the label is not a month. Used to stop an older update overwriting a newer one by mistake.
 */
export function progressUpdateDate(label: string): string | undefined {
  const t = parseTarget(label);
  return t.kind === 'date' ? t.date : undefined;
}
