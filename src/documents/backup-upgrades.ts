/**
 * How a backup file of each older format version is brought up to the next one, so that every
 * backup ever written still restores. One step per version, keyed by the version it reads; the
 * reader (backup-document.ts) runs them in turn and then checks the result like any new file, so
 * a step only moves things and leaves checking to the records' schemas.
 *
 * A step is tested with a real file of its version written by the bot that wrote that version
 * (test/fixtures/backups/, with how each was made).
 */
export const BACKUP_UPGRADES: Readonly<Record<number, (document: Json) => Json>> = {
  1: fromVersion1,
};

type Json = Record<string, unknown>;

/**
 * Version 1 (every backup until the record kinds): plans nested with their records, each plan
 * `{ plan, actions, areas, history, deliveries? }`, and the other kinds beside `plans` at the top.
 * Version 2 has one flat list per kind under `records`, each record naming its plan (as records of
 * a plan always have). A plan's `deliveries` were there only where the deployment kept them. The
 * records themselves are the same: fields added since version 1 began (a person's `upn` and
 * `keptApart`, an action's `snooze` and `proposedTarget`) are optional, so older records read.
 *
 * Anything else nested in a plan is carried up as a kind of its own, which the check then refuses
 * by name rather than this step dropping it: for a while version 1 allowed a plan's `snoozes`, kept
 * apart from the actions where a deployment had a store for them (none ever did; they live on the
 * actions now).
 */
function fromVersion1(v1: Json): Json {
  const plans = v1['plans'];
  const nested: Json[] = Array.isArray(plans)
    ? plans.map((p: unknown) => (isObject(p) ? p : { plan: p }))
    : [];
  // A list that is something else is carried as one record, for the check to refuse.
  const each = (key: string): unknown[] =>
    nested.flatMap((p) => {
      const list = p[key];
      return list === undefined ? [] : Array.isArray(list) ? (list as unknown[]) : [list];
    });
  const others = [...new Set(nested.flatMap((p) => Object.keys(p)))].filter(
    (key) => !PLAN_PARTS.has(key),
  );
  const { plans: _plans, people, conversations, sentCards, digestSubscriptions, ...rest } = v1;
  return {
    ...rest,
    records: {
      plans: Array.isArray(plans) ? nested.map((p) => p['plan']) : plans,
      actions: each('actions'),
      areas: each('areas'),
      history: each('history'),
      people,
      conversations,
      ...(sentCards === undefined ? {} : { sentCards }),
      ...(nested.some((p) => p['deliveries'] !== undefined)
        ? { deliveries: each('deliveries') }
        : {}),
      ...(digestSubscriptions === undefined ? {} : { digestSubscriptions }),
      ...Object.fromEntries(others.map((key) => [key, each(key)])),
    },
  };
}

/** What a version 1 plan held besides its plan record. */
const PLAN_PARTS = new Set(['plan', 'actions', 'areas', 'history', 'deliveries']);

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
