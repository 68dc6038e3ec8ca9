import { describeProblem, recordProblems } from '../../domain/record-problems.js';
import type { AnyRecordKind } from './record-kind.js';
import { RECORD_KINDS, type BackupRecords } from './record-kinds.js';

/**
 * Checks a backup's records, every kind by its schema (the one storage reads by: what storage can
 * hold, a backup can carry), then across records: no record twice, and every action, area and
 * history entry in a plan of the same backup. Each problem names the record, by its place in the
 * file and by what it is, and the field: `actions[3] (action 2.2 of plan "moj"): status "nearly
 * done" is not a status.` Nothing is kept from a backup with any problem.
 */
export function checkRecords(raw: Readonly<Record<string, unknown>>): {
  readonly records: BackupRecords;
  readonly problems: readonly string[];
} {
  const problems: string[] = [];
  const known = new Set<string>(RECORD_KINDS.map((k) => k.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      problems.push(`${name}: a kind of record this version of the bot does not know.`);
    }
  }
  const read: Read[] = [];
  for (const kind of RECORD_KINDS as readonly AnyRecordKind[]) {
    const list = raw[kind.name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`${kind.name} is not a list.`);
      continue;
    }
    const records: Read['records'] = [];
    list.forEach((item: unknown, i) => {
      const result = kind.schema.safeParse(item, { reportInput: true });
      if (result.success) records.push({ i, record: result.data, where: whereIs(kind, i, item) });
      else {
        const where = whereIs(kind, i, item);
        for (const p of recordProblems(result.error))
          problems.push(`${where}: ${describeProblem(p)}.`);
      }
    });
    read.push({ kind, records });
  }
  for (const r of read) problems.push(...twice(r));
  problems.push(...outsideTheirPlan(read, raw['plans']));
  return {
    records: Object.fromEntries(read.map((r) => [r.kind.name, r.records.map((x) => x.record)])),
    problems,
  };
}

/** One kind's records that read, each with its place in the file. */
interface Read {
  readonly kind: AnyRecordKind;
  readonly records: { readonly i: number; readonly record: unknown; readonly where: string }[];
}

/** `actions[3] (action 2.2 of plan "moj")`: a record by its place and by what it is. */
function whereIs(kind: AnyRecordKind, i: number, item: unknown): string {
  const what =
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? kind.describe(item as Record<string, unknown>)
      : undefined;
  return `${kind.name}[${i}]${what ? ` (${what})` : ''}`;
}

/** Records of one kind with one key. */
function twice({ kind, records }: Read): string[] {
  const key = kind.key?.bind(kind);
  if (!key) return [];
  const first = new Map<string, string>();
  return records.flatMap(({ record, where }) => {
    const k = key(record);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, where);
    return seen === undefined ? [] : [`${where}: the same record as ${seen}.`];
  });
}

/**
 * Actions, areas and history entries whose plan is not in the backup. A plan that is there but
 * does not read counts as there: its own problems are reported, not each of its records'.
 */
function outsideTheirPlan(read: readonly Read[], rawPlans: unknown): string[] {
  const plans = new Set(
    (Array.isArray(rawPlans) ? (rawPlans as unknown[]) : []).map((p) =>
      typeof p === 'object' && p !== null ? (p as Record<string, unknown>)['id'] : undefined,
    ),
  );
  return read.flatMap(({ kind, records }) => {
    const planOf = kind.planOf?.bind(kind);
    if (!planOf) return [];
    return records.flatMap(({ record, where }) => {
      const planId = planOf(record);
      return plans.has(planId)
        ? []
        : [`${where}: planId ${JSON.stringify(planId)} is not a plan of this backup.`];
    });
  });
}
