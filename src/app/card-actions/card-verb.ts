import type { PersonRoles } from '../../domain/permissions.js';
import { normaliseEmail, type Action } from '../../domain/plan.js';
import type { CardBanner } from '../../ports/card-renderer.js';
import type { Person } from '../../ports/people-repository.js';
import { championsOf, type ActionScene } from './action-scene.js';
import type { CardActionDeps, CardPress } from './card-press.js';
import type { PressFields } from './press-data.js';
import type { AnswerEntry, RecordedAnswer } from './record-answer.js';

/**
 * One button that changes an action (or answers for it), as the steps every press goes through
 * need it: read its fields, say who may press it, apply it to the action as it is now, and say
 * what happened. src/app/card-actions/answer-card-press.ts runs the steps in order.
 */
export interface ActionVerb<D> {
  /**
   * Reads the verb's own fields (ref, planId and version are read already). Throws an
   * ActionPlanError('invalid_input') for data that does not read; answers `{ ask }` when the
   * press needs a choice the card can offer (a reminder card's one-click "remind me later").
   */
  read(fields: PressFields, scene: ActionScene): D | Ask;
  /** Undefined when this person may press it for this action; else why not, for them to read. */
  refusal(roles: PersonRoles, action: Action, scene: ActionScene): string | undefined;
  /**
   * What a refused press tried to do, for its history entry: the field, and the value only where
   * the card offered it as a choice (a status, a date). Never text the person typed (a note, an
   * owner's address): someone who may not change an action cannot put words into its history.
   */
  attempted(data: D | undefined, scene: ActionScene): Pick<AnswerEntry, 'field' | 'to'>;
  /**
   * The answer, from the action as it is now (called again after a lost race). Throws an
   * ActionPlanError when it no longer makes sense.
   */
  apply(current: Action, data: D, press: VerbPress): Answer;
  /** After saving: the banner for the presser, and whom else to tell. */
  saved(result: RecordedAnswer, data: D, press: VerbPress): Outcome;
  /**
   * Addresses the answer names that the action card does not (a reassign's new owners): read
   * with the press, so `saved` can name them and knows whether they can be reached.
   */
  names?(data: D): readonly string[];
}

/** The action after the answer (absent: unchanged) and the one history entry recording it. */
export interface Answer {
  readonly action?: Action;
  readonly entry: AnswerEntry;
}

/** The press, as the verbs see it once the presser is known. */
export interface VerbPress {
  readonly deps: CardActionDeps;
  readonly scene: ActionScene;
  readonly press: CardPress;
  /** Email of the presser (or `teams:<aad id>` when the bot cannot place them). */
  readonly by: string;
  /** The presser's email, when the bot knows it. */
  readonly email?: string;
  /** How the presser is named in sentences to others. */
  readonly byName: string;
}

export interface Ask {
  readonly ask: string;
}

export const isAsk = (x: unknown): x is Ask =>
  typeof x === 'object' && x !== null && typeof (x as Ask).ask === 'string';

/** Other people to give the action's card to, with a banner saying why. */
export interface Notice {
  readonly to: readonly Person[];
  /** What the card was sent as (SentCard.kind): 'date-moved', 'date-approval', 'not-mine'… */
  readonly kind: string;
  readonly banner: CardBanner;
}

export interface Outcome {
  readonly banner: CardBanner;
  readonly notices?: readonly Notice[];
}

/** Whom to tell about an action, and whether the bot can reach them. */
export interface Audience {
  /** People the bot can message (installed, not refused), lower-cased email order as found. */
  readonly reachable: readonly Person[];
  /** Emails of those it cannot reach yet. */
  readonly unreachable: readonly string[];
  /** Who they are, for sentences: "the KIM Champion for HMPPS", "the plan admins". */
  readonly role: string;
}

const canReach = (p: Person | undefined): p is Person =>
  p !== undefined && p.reachable && p.conversation !== undefined;

/**
 * The area's KIM Champions, except `except`; with `orAdmins`, the plan admins when the area has
 * no champion (someone must be able to decide), else nobody.
 */
export function audienceFor(
  deps: CardActionDeps,
  scene: ActionScene,
  action: Action,
  except: string,
  orAdmins: boolean,
): Audience {
  const exceptEmail = normaliseEmail(except);
  const champions = championsOf(scene, action).filter((c) => c !== exceptEmail);
  const admins = [
    ...new Set([...deps.adminEmails.map(normaliseEmail), ...scene.admins.map(normaliseEmail)]),
  ].filter((a) => a !== exceptEmail);
  const useAdmins = champions.length === 0 && orAdmins;
  const emails = useAdmins ? admins : champions;
  const people = emails.map((e) => scene.people.get(e));
  return {
    reachable: people.filter(canReach),
    unreachable: emails.filter((_, i) => !canReach(people[i])),
    role: useAdmins ? 'a plan admin' : `the KIM Champion for ${action.area ?? 'the area'}`,
  };
}
