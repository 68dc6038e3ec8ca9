import { normaliseRef, recommendationOf } from './action-ref.js';
import type { ImportIssue, ParsedAction } from './parsed-plan.js';
import { isEmail, normaliseEmail } from './plan.js';
import { PRIORITIES, parsePriority } from './priority.js';
import { parseStatus, STATUSES, statusLabel } from './status.js';
import { describeTwoPositions, positionOf, type SourcePosition } from './source-position.js';
import { parseTarget, targetDate } from './target.js';

/** The cells of one action row, as text, whatever the document format. */
export interface ActionRowCells {
  ref: string;
  text: string;
  priority: string;
  target: string;
  status: string;
  owner?: string;
  area?: string;
}

export interface ActionRowResult {
  action?: ParsedAction;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

/** Any white space but a single inner space, or a curly quote: what tidyText changes. */
const UNTIDY = /[^\S ]| {2}|^ | $|[\u2018\u2019\u201c\u201d]/;

/** Collapses the white space, non-breaking spaces and curly quotes that copying from Word leaves. */
export function tidyText(s: string): string {
  // Most cells are tidy already: a plan of thousands of rows is read without copying them.
  if (!UNTIDY.test(s)) return s;
  return s
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An owner cell may name several people: "ann@x.gov.uk; bob@x.gov.uk" (or commas). */
export function splitOwners(cell: string): string[] {
  return tidyText(cell)
    .split(/[;,]/)
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * Reads one action row into a ParsedAction, the same way for every document format.
 * Errors (the import stops): a missing or malformed ref, no action text, an unknown priority or
 * status, an owner that is not an email address. Warnings (the import goes on): an unresolved
 * target date, kept as written.
 */
export function readActionRow(
  cells: ActionRowCells,
  at: SourcePosition & { line: number },
): ActionRowResult {
  const place = positionOf(at);
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const ref = normaliseRef(cells.ref);
  const text = tidyText(cells.text);
  const priorityText = tidyText(cells.priority);
  const priority = parsePriority(priorityText);
  const statusText = tidyText(cells.status);
  const status = parseStatus(statusText);
  const target = parseTarget(cells.target);
  const owners = cells.owner ? splitOwners(cells.owner) : [];
  const area = cells.area ? tidyText(cells.area) : '';

  if (!ref) {
    errors.push({
      ...place,
      column: 'Ref',
      message: cells.ref.trim()
        ? `"${tidyText(cells.ref)}" is not an action ref (expected something like 1.1 or 4.9a).`
        : 'The row has no ref.',
    });
  }
  const where = ref ? `Action ${ref}` : 'The row';
  if (!text) errors.push({ ...place, column: 'Action', message: `${where} has no action text.` });
  if (!priority) {
    errors.push({
      ...place,
      column: 'Priority',
      message: priorityText
        ? `${where} has priority "${priorityText}"; use High, Med or Low (${PRIORITIES.join('/')}).`
        : `${where} has no priority; use High, Med or Low.`,
    });
  }
  if (!status) {
    errors.push({
      ...place,
      column: 'Status',
      message: `${where} has status "${statusText}"; use one of ${STATUSES.map(statusLabel).join(', ')}, or leave it blank for not started.`,
    });
  }
  for (const owner of owners.filter((o) => !isEmail(o))) {
    errors.push({
      ...place,
      column: 'Owner',
      message: `${where} has owner "${owner}"; owners are given by email address.`,
    });
  }
  if (target.kind === 'unresolved') {
    warnings.push({
      ...place,
      column: 'Target date',
      message: target.text
        ? `${where}: target "${target.text}" is not a date the bot understands; it is kept as written and gets no date-based reminders.`
        : `${where} has no target date.`,
    });
  }
  if (errors.length > 0 || !ref || !priority || !status) return { errors, warnings };

  const action: ParsedAction = {
    ref,
    recommendation: recommendationOf(ref),
    text,
    priority,
    targetText: target.text,
    targetDate: targetDate(target),
    ongoing: target.kind === 'ongoing',
    status,
    ...(owners.length > 0 ? { owners: [...new Set(owners.map(normaliseEmail))] } : {}),
    ...(area ? { area } : {}),
    ...place,
    line: at.line,
  };
  return { action, errors, warnings };
}

/**
 * Checks a whole parsed plan: at least one action, no duplicate refs, and, when the document
 * names its recommendations ("Recommendation N" lines), no action of a recommendation it lacks.
 */
export function checkParsedPlan(
  actions: readonly ParsedAction[],
  recommendations: readonly { number: string }[],
): ImportIssue[] {
  const errors: ImportIssue[] = [];
  if (actions.length === 0) {
    errors.push({ message: 'No actions were found: is this an action plan?' });
  }
  const seen = new Map<string, ParsedAction>();
  for (const a of actions) {
    const first = seen.get(a.ref);
    if (first !== undefined) {
      errors.push({
        ...positionOf(a),
        column: 'Ref',
        message: `Action ${a.ref} appears twice (${describeTwoPositions(first, a)}); each ref must be unique.`,
      });
    } else seen.set(a.ref, a);
  }
  if (recommendations.length > 0) {
    const known = new Set(recommendations.map((r) => r.number));
    for (const a of actions) {
      if (!known.has(a.recommendation)) {
        errors.push({
          ...positionOf(a),
          column: 'Ref',
          message: `Action ${a.ref} belongs to recommendation ${a.recommendation}, which the plan does not have.`,
        });
      }
    }
  }
  return errors;
}
