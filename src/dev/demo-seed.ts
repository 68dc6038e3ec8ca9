import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DateTime } from 'luxon';

import { addArea } from '../app/add-area.js';
import { assignAction } from '../app/assign-action.js';
import type { AppDeps } from '../app/deps.js';
import { importPlan } from '../app/import-plan.js';
import { normaliseRef } from '../domain/action-ref.js';
import { areaKey } from '../domain/area-name.js';
import { todayIn } from '../domain/calendar.js';
import type { ImportResult, ParsedAction, ParsedPlan } from '../domain/parsed-plan.js';
import { progressUpdateDate } from '../domain/plan-import.js';
import { DEFAULT_TIME_ZONE, isEmail, normaliseEmail } from '../domain/plan.js';
import { parseTarget } from '../domain/target.js';

/** Who owns what in the demo plan: demo/demo-assignments.json. */
export interface DemoAssignments {
  /** Plan admins for the demo (ADMIN_EMAILS when it is not set). */
  readonly admins: readonly string[];
  readonly areas: readonly { readonly name: string; readonly champions: readonly string[] }[];
  readonly assignments: readonly {
    readonly ref: string;
    readonly owners: readonly string[];
    readonly area?: string;
    /**
     * Days from the day the demo is seeded to this action's target: the demo's "due next week"
     * actions, whatever day it runs (every other target keeps its place in the plan's calendar).
     */
    readonly dueInDays?: number;
  }[];
}

export interface DemoFiles {
  /** The plan document to import (demo/moj-ima-action-plan-may-2017.txt). */
  readonly planPath: string;
  /** The areas, champions and owners to apply after the import (demo/demo-assignments.json). */
  readonly assignmentsPath: string;
}

export interface SeedOutcome {
  /** False when a plan was already stored, so nothing was touched. */
  readonly seeded: boolean;
  /** The demo plan's id when seeded; otherwise the ids of the plans found. */
  readonly planIds: readonly string[];
  readonly actionCount: number;
  readonly areaCount: number;
  readonly assignedCount: number;
  /** Whole months the plan's dates were moved by, so that its progress update is this month. */
  readonly monthsShifted: number;
}

/** Recorded as the author of the demo's assignments in each action's history. */
export const DEMO_AUTHOR = 'demo:demo-assignments.json';

/** The demo files in the project's `demo/` folder. */
export function defaultDemoFiles(root: string = projectRoot()): DemoFiles {
  return {
    planPath: join(root, 'demo', 'moj-ima-action-plan-may-2017.txt'),
    assignmentsPath: join(root, 'demo', 'demo-assignments.json'),
  };
}

/**
 * The project folder: the nearest one above this file with a package.json and a demo folder. This
 * file runs from src/dev (tests) and from dist/src/dev (npm start), at different depths.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'demo'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`No project folder (package.json and demo/) above ${from}.`);
    }
  }
}

/**
 * Gives a fresh local run something to look at: when storage holds no plan at all, imports the
 * demo plan, moved to today (see `demoPlanAsOf`) and titled "(demo)", and applies the demo areas,
 * champions and owners through the same use cases an admin would use (so the history says who
 * did it). When any plan is already stored it does nothing, so a second start neither duplicates
 * the plan nor undoes what was changed in the demo since.
 */
export async function seedDemoPlan(
  deps: AppDeps,
  files: DemoFiles,
  readPlanFile: (path: string) => Promise<ImportResult>,
): Promise<SeedOutcome> {
  const existing = await deps.plans.listPlans();
  if (existing.length > 0) {
    return {
      seeded: false,
      planIds: existing.map((p) => p.value.id),
      actionCount: 0,
      areaCount: 0,
      assignedCount: 0,
      monthsShifted: 0,
    };
  }
  // Read and check both files before writing anything: a broken assignments file must not leave
  // a half-seeded plan that the next start would then skip.
  const demo = await readDemoAssignments(files.assignmentsPath);
  const { plan: parsed, errors } = await readPlanFile(files.planPath);
  const mismatches = checkAgainstPlan(demo, parsed.actions);
  if (mismatches.length > 0) {
    throw new Error(
      `${files.assignmentsPath} does not fit ${basename(files.planPath)}:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  const today = todayIn(DEFAULT_TIME_ZONE, deps.clock.now());
  const { plan: demoPlan, monthsShifted } = demoPlanAsOf(parsed, demo, today);
  const report = await importPlan(deps, {
    parsed: demoPlan,
    errors,
    source: basename(files.planPath),
    timeZone: DEFAULT_TIME_ZONE,
  });
  for (const area of demo.areas) {
    await addArea(deps, { planId: report.planId, name: area.name, champions: area.champions });
  }
  for (const a of demo.assignments) {
    await assignAction(deps, {
      planId: report.planId,
      ref: a.ref,
      owners: a.owners,
      ...(a.area ? { area: a.area } : {}),
      by: DEMO_AUTHOR,
    });
  }
  return {
    seeded: true,
    planIds: [report.planId],
    actionCount: report.actionCount,
    areaCount: demo.areas.length,
    assignedCount: demo.assignments.length,
    monthsShifted,
  };
}

/** Marks the demo plan's title, so nobody takes it for a real plan. */
export const DEMO_LABEL = '(demo)';

/**
 * The demo plan as it would stand today. The May 2017 plan is moved by whole months so that its
 * progress update is the month of `today` (YYYY-MM-DD): a target two months before the update is
 * two months overdue, "End Jun 2017" is the end of next month, and each target keeps the way it
 * was written ("End Mar 2017" becomes "End Sep 2026", "Mar2017" "Sep2026", "30 Sept 2016" the last
 * day of its new month). The assignments' `dueInDays` then set those actions' targets to that many
 * days from today. Statuses are kept, so what was done is still done, and the title says "(demo)".
 */
export function demoPlanAsOf(
  parsed: ParsedPlan,
  demo: DemoAssignments,
  today: string,
): { plan: ParsedPlan; monthsShifted: number } {
  const updated = progressUpdateDate(parsed.progressUpdate);
  if (!updated) {
    throw new Error(
      `The demo plan's progress update "${parsed.progressUpdate}" is not a month, so its dates cannot be moved to today.`,
    );
  }
  const day = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'UTC' });
  const months = monthIndex(day(today)) - monthIndex(day(updated));
  const dueIn = new Map(
    demo.assignments.flatMap((a) =>
      a.dueInDays === undefined ? [] : [[normaliseRef(a.ref), a.dueInDays] as const],
    ),
  );
  const actions = parsed.actions.map((a): ParsedAction => {
    const days = dueIn.get(normaliseRef(a.ref));
    if (days !== undefined) {
      const date = day(today).plus({ days });
      return { ...a, targetText: dayText(date), targetDate: date.toISODate()!, ongoing: false };
    }
    if (a.targetDate === null) return a;
    const moved = shiftTarget(a.targetText, a.targetDate, months);
    return { ...a, targetText: moved.text, targetDate: moved.date };
  });
  return {
    plan: {
      ...parsed,
      title: parsed.title.includes(DEMO_LABEL) ? parsed.title : `${parsed.title} ${DEMO_LABEL}`,
      progressUpdate: shiftTarget(parsed.progressUpdate, updated, months).text,
      actions,
    },
    monthsShifted: months,
  };
}

const monthIndex = (d: DateTime): number => d.year * 12 + d.month - 1;

const FULL_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const monthOfWord = (word: string): number | undefined => {
  const w = word.toLowerCase();
  if (w === 'sept') return 9;
  const i = FULL_MONTHS.findIndex(
    (m) => m.toLowerCase() === w || m.slice(0, 3).toLowerCase() === w,
  );
  return i < 0 ? undefined : i + 1;
};

/** "12 Dec 2026": how the plan writes a day. */
const dayText = (d: DateTime): string =>
  `${d.day} ${FULL_MONTHS[d.month - 1]!.slice(0, 3)} ${d.year}`;

/**
 * A target moved by `months` whole months, written as the original was: the month word in the
 * same form (abbreviated, "Sept" or in full, same case), the year with as many digits, a day kept
 * (or made the new month's last day when it was its month's last). Whatever cannot be rewritten
 * that way ("End 2016" moved by a part of a year) is written "End Mar 2027" or "12 Mar 2027".
 */
export function shiftTarget(
  text: string,
  date: string,
  months: number,
): { text: string; date: string } {
  const from = DateTime.fromISO(date, { zone: 'UTC' });
  const plain = from.plus({ months });
  const lastDay = from.day === from.daysInMonth;
  const to = lastDay ? plain.endOf('month').startOf('day') : plain;
  const iso = to.toISODate()!;

  const parts = text.split(/(\d+|[A-Za-z]+)/);
  const monthAt = parts.findIndex((p) => /^[A-Za-z]+$/.test(p) && monthOfWord(p) !== undefined);
  let yearAt = -1;
  parts.forEach((p, i) => {
    if (/^\d{4}$/.test(p) || (/^\d{2}$/.test(p) && monthAt >= 0 && i > monthAt)) yearAt = i;
  });
  const dayAt = monthAt >= 0 ? parts.findIndex((p, i) => i < monthAt && /^\d{1,2}$/.test(p)) : -1;
  if (yearAt >= 0 && (monthAt >= 0 || months % 12 === 0)) {
    const out = [...parts];
    const year = String(to.year);
    out[yearAt] = parts[yearAt]!.length === 2 ? year.slice(-2) : year;
    if (monthAt >= 0) out[monthAt] = monthWordLike(parts[monthAt]!, to.month);
    if (dayAt >= 0) out[dayAt] = String(to.day);
    const rewritten = out.join('');
    const check = parseTarget(rewritten);
    if (check.kind === 'date' && check.date === iso) return { text: rewritten, date: iso };
  }
  const abbr = FULL_MONTHS[to.month - 1]!.slice(0, 3);
  return { text: lastDay ? `End ${abbr} ${to.year}` : dayText(to), date: iso };
}

/** The name of `month` written as `word` is: "Mar", "Sept", "March", "MARCH", "mar". */
function monthWordLike(word: string, month: number): string {
  const full = FULL_MONTHS[month - 1]!;
  const lower = word.toLowerCase();
  // "May" is written in full: it could be either, and a progress update names months in full.
  const name =
    lower === 'sept'
      ? month === 9
        ? 'Sept'
        : full.slice(0, 3)
      : lower.length === 3 && lower !== 'may'
        ? full.slice(0, 3)
        : full;
  if (word === word.toUpperCase()) return name.toUpperCase();
  if (word === lower) return name.toLowerCase();
  return name;
}

/** Refs the plan does not have and areas the file does not define, as messages. */
function checkAgainstPlan(
  demo: DemoAssignments,
  actions: readonly { readonly ref: string }[],
): string[] {
  const refs = new Set(actions.map((a) => normaliseRef(a.ref)));
  const areas = new Set(demo.areas.map((a) => areaKey(a.name)));
  return demo.assignments.flatMap((a) => [
    ...(refs.has(normaliseRef(a.ref)) ? [] : [`the plan has no action ${a.ref}`]),
    ...(a.area === undefined || areas.has(areaKey(a.area))
      ? []
      : [`action ${a.ref}: the area "${a.area}" is not in "areas"`]),
  ]);
}

/** Reads demo-assignments.json; a malformed file fails with the file name and what is wrong. */
export async function readDemoAssignments(path: string): Promise<DemoAssignments> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} cannot be read as JSON: ${e instanceof Error ? e.message : e}`, {
      cause: e,
    });
  }
  const problems: string[] = [];
  const result = parseDemoAssignments(json, problems);
  if (problems.length > 0) {
    throw new Error(`${path} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result;
}

function parseDemoAssignments(json: unknown, problems: string[]): DemoAssignments {
  const record = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown, where: string): unknown[] => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    problems.push(`${where} should be a list.`);
    return [];
  };
  const emails = (v: unknown, where: string): string[] =>
    list(v, where).flatMap((e) => {
      if (typeof e === 'string' && isEmail(e)) return [normaliseEmail(e)];
      problems.push(`${where}: ${JSON.stringify(e)} is not an email address.`);
      return [];
    });
  const text = (v: unknown, where: string): string => {
    if (typeof v === 'string' && v.trim()) return v.trim();
    problems.push(`${where} is missing.`);
    return '';
  };
  const root = record(json);
  return {
    admins: emails(root['admins'], 'admins'),
    areas: list(root['areas'], 'areas').map((a, i) => ({
      name: text(record(a)['name'], `areas[${i}].name`),
      champions: emails(record(a)['champions'], `areas[${i}].champions`),
    })),
    assignments: list(root['assignments'], 'assignments').map((a, i) => {
      const area = record(a)['area'];
      const dueInDays = record(a)['dueInDays'];
      if (
        dueInDays !== undefined &&
        !(Number.isInteger(dueInDays) && (dueInDays as number) >= 0 && (dueInDays as number) <= 366)
      ) {
        problems.push(`assignments[${i}].dueInDays should be a whole number of days (0 to 366).`);
      }
      return {
        ref: text(record(a)['ref'], `assignments[${i}].ref`),
        owners: emails(record(a)['owners'], `assignments[${i}].owners`),
        ...(area === undefined ? {} : { area: text(area, `assignments[${i}].area`) }),
        ...(typeof dueInDays === 'number' ? { dueInDays } : {}),
      };
    }),
  };
}
