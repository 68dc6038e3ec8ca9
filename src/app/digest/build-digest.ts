import { composeDigest, type Digest } from '../../domain/digest.js';
import type { Plan } from '../../domain/plan.js';
import { normaliseEmail } from '../../domain/plan.js';
import type { PersonView, RenderedCard } from '../../ports/card-renderer.js';
import {
  addressBook,
  reachBook,
  unreachableWhy,
  type Person,
} from '../../ports/people-repository.js';
import type { DigestReadDeps } from './digest-deps.js';

/** A composed digest with its card, ready to post or show. */
export interface BuiltDigest {
  readonly plan: Plan;
  readonly digest: Digest;
  readonly card: RenderedCard;
  /** The notification preview: "Weekly digest: 12 of 42 done (29%), Amber, 5 overdue". */
  readonly summary: string;
}

export interface BuildDigestOptions {
  /** The digest is for a slot that was missed: say so, and which day it was due. */
  readonly lateFor?: string;
  /** A preview: say it was not posted. */
  readonly preview?: boolean;
}

/** Reads the plan, its history and the people, and composes the digest as of `asOf`. */
export async function buildDigest(
  deps: DigestReadDeps,
  plan: Plan,
  asOf: Date,
  options: BuildDigestOptions = {},
): Promise<BuiltDigest> {
  const [actions, history, people] = await Promise.all([
    deps.plans.listActions(plan.id),
    deps.plans.listHistory(plan.id),
    deps.people.listPeople(),
  ]);
  // Kept-apart accounts and addresses two accounts claim stand for nobody (see addressBook).
  const byEmail = addressBook(people);
  const reach = reachBook(people);
  const owners = new Set(actions.flatMap((a) => a.value.owners.map(normaliseEmail)));
  const digest = composeDigest({
    plan,
    actions: actions.map((a) => a.value),
    history,
    asOf,
    reachable: new Set([...owners].filter((o) => reach(o).kind !== 'none')),
  });
  const view = (email: string, p: Person | undefined): PersonView => {
    const why = unreachableWhy(reach(email));
    return {
      email,
      ...(p?.name ? { name: p.name } : {}),
      reachable: why === undefined,
      ...(why ? { why } : {}),
    };
  };
  const views = new Map<string, PersonView>();
  const mentions = new Map<string, { id: string; name: string }>();
  for (const a of actions) {
    for (const o of a.value.owners) {
      const email = normaliseEmail(o);
      const p = byEmail.get(email);
      views.set(email, view(email, p));
      if (p?.teamsUserId) mentions.set(email, { id: p.teamsUserId, name: p.name || email });
    }
  }
  for (const c of digest.changes) {
    const email = normaliseEmail(c.by);
    const p = byEmail.get(email);
    if (p && !views.has(email)) views.set(email, view(email, p));
  }
  const s = digest.summary;
  const summary = `Weekly digest${options.lateFor ? ' (late)' : ''}: ${s.counts.done} of ${s.counts.total} done (${s.counts.percentDone}%), ${s.rag.rating}, ${s.overdue.length} overdue`;
  const card = deps.renderCard(
    {
      kind: 'digest',
      plan,
      digest,
      people: views,
      mentions,
      ...(options.lateFor ? { lateFor: options.lateFor } : {}),
      ...(options.preview ? { preview: true } : {}),
    },
    // A digest too big for one Teams message still says where the plan stands.
    {
      title: options.preview ? 'Weekly digest (a preview, not posted)' : 'Weekly digest',
      text: `${summary}. The whole digest is too long for one Teams message: ask me for **status** or **overdue** for the detail.`,
      tone: 'info',
    },
  );
  return { plan, digest, card, summary };
}
