import { ActionPlanError, isActionPlanError } from '../../domain/errors.js';
import type { Action, HistoryEntry, Versioned } from '../../domain/plan.js';
import {
  actionCard,
  emailOf,
  HISTORY_SHOWN,
  loadScene,
  nameOf,
  rolesIn,
  withPeople,
  type ActionScene,
} from './action-scene.js';
import type { CardActionDeps, CardAnswer, CardPress } from './card-press.js';
import { isAsk, type ActionVerb, type Notice, type Outcome, type VerbPress } from './card-verb.js';
import { fieldsOf, readTarget } from './press-data.js';
import { entryTime, recordAnswer, type AnswerEntry, type RecordedAnswer } from './record-answer.js';
import type { CopyUpdater } from './update-copies.js';

/**
 * Answers one press of a button that changes an action, whichever button and whichever way it
 * came (Action.Execute or the Action.Submit fallback). The steps, in order:
 *
 * 1. Read the data: which action, plan and version, and the verb's own fields. Data that does not
 *    read (missing, wrong type, too long, not a real date) gets a plain message; nothing changes.
 * 2. Who pressed, from the activity's AAD object id (the person stored for it) or the email Teams
 *    gave, and their roles for this action. Someone who may not press it gets the action's card
 *    saying so; nothing changes, and the refused attempt goes in the history.
 * 3. A press that needs a choice the card offers gets the card, asking.
 * 4. A stale card (its version is not the action's, and the action changed before the press was
 *    made) gets the action as it is now, asking again: nothing is overwritten unseen. A press
 *    made before a change that landed while it was on its way is a simultaneous press: it is
 *    applied on top, so two people pressing at once are both kept.
 * 5. The change and its one history entry, atomically, re-applied after a lost race if it still
 *    makes sense (recordAnswer). The presser gets the card as it is now, saying what happened.
 * 6. Afterwards, without holding up the answer: the pressed card is remembered as a copy, every
 *    copy is updated, and the champion (or proposer, or new owner) gets their card.
 *
 * Storage outages and bugs are thrown, for the Teams edge to log and apologise for.
 */
export async function answerActionPress<D>(
  deps: CardActionDeps,
  verb: ActionVerb<D>,
  press: CardPress,
  copies?: CopyUpdater,
): Promise<CardAnswer> {
  let scene: ActionScene | undefined;
  let applying = false;
  try {
    const fields = fieldsOf(press.data);
    const target = readTarget(fields);
    scene = await loadScene(deps, target.planId, target.ref, press.actor);
    const email = emailOf(scene);
    const by = email ?? `teams:${press.actor.aadObjectId ?? 'unknown'}`;
    const person = { person: { email } };
    const data = verb.read(fields, scene);
    // The people the answer names beyond the card (a reassign's new owners), read now.
    if (verb.names && !isAsk(data)) scene = await withPeople(deps, scene, verb.names(data));
    const loaded = scene;
    const action = loaded.action.value;

    const refusal = verb.refusal(rolesIn(deps, loaded, email), action, loaded);
    if (refusal) {
      const noted = await recordRefusal(
        deps,
        loaded,
        by,
        verb.attempted(isAsk(data) ? undefined : data, loaded),
        refusal,
        press,
      );
      return {
        card: actionCard(deps, loaded, loaded.action, {
          ...person,
          banner: { tone: 'attention', text: noted ? refusal : unnoted(refusal) },
        }),
      };
    }
    if (isAsk(data)) {
      return {
        card: actionCard(deps, loaded, loaded.action, {
          ...person,
          banner: { tone: 'info', text: data.ask },
        }),
        afterwards: () => remember(deps, loaded, press, by),
      };
    }
    if (isStale(target.version, loaded.action, press.pressedAt, deps.clock.now())) {
      return {
        card: actionCard(deps, loaded, loaded.action, {
          ...person,
          banner: { tone: 'warning', text: staleText(loaded) },
        }),
        afterwards: () => remember(deps, loaded, press, by),
      };
    }

    const verbPress: VerbPress = {
      deps,
      scene: loaded,
      press,
      by,
      ...(email ? { email } : {}),
      byName: press.actor.name ?? (email ? nameOf(loaded, email) : 'Someone'),
    };
    let refusedOnRetry: { why: string; current: Action } | undefined;
    applying = true;
    const result = await recordAnswer(deps, {
      planId: loaded.plan.id,
      ref: action.ref,
      by,
      read: loaded.action,
      apply: (current) => {
        // The action may have been reassigned, or moved area, while this press waited its turn.
        const lost = verb.refusal(rolesIn(deps, loaded, email, current), current, loaded);
        if (lost) {
          refusedOnRetry = { why: lost, current };
          throw new ActionPlanError('forbidden', lost);
        }
        return verb.apply(current, data, verbPress);
      },
    }).catch(async (error: unknown) => {
      if (refusedOnRetry) {
        const { why, current } = refusedOnRetry;
        await recordRefusal(deps, loaded, by, verb.attempted(data, loaded), why, press, current);
      }
      throw error;
    });
    applying = false;
    const outcome = verb.saved(result, data, verbPress);
    const { scene: after, history } = await historyAfter(deps, loaded, result);
    return {
      card: actionCard(deps, after, result.action, { ...person, banner: outcome.banner }, history),
      afterwards: () => afterChange(deps, loaded, press, by, result, outcome, copies),
    };
  } catch (error) {
    if (!isActionPlanError(error) || error.reason === 'storage_unavailable') throw error;
    // Data that does not read, a plan or action that is not there: a plain message.
    if (!scene || !applying) return { text: error.message };
    // The change no longer makes sense, is no longer allowed, or kept losing races: the action
    // as it is now, saying why nothing changed.
    const now = await deps.plans.getAction(scene.plan.id, scene.action.value.ref);
    if (!now) return { text: error.message };
    return {
      card: actionCard(deps, scene, now, {
        person: { email: emailOf(scene) },
        banner: {
          tone: 'warning',
          text: error.reason === 'conflict' ? BUSY : error.message,
        },
      }),
    };
  }
}

/**
 * The latest history for the answer's card, and the scene with the people it names. When the
 * write was applied to the version the press read, that is the entries just written and those
 * read with the press (no read); otherwise another instance wrote in between, and it is read.
 */
async function historyAfter(
  deps: CardActionDeps,
  scene: ActionScene,
  result: RecordedAnswer,
): Promise<{ scene: ActionScene; history: readonly HistoryEntry[] }> {
  const history =
    result.from === scene.action.version
      ? [...result.entries].reverse().concat(scene.history).slice(0, HISTORY_SHOWN)
      : await deps.plans.latestHistory(scene.plan.id, scene.action.value.ref, HISTORY_SHOWN);
  // Others pressing with this answer are named on the card like everyone else.
  return {
    scene: await withPeople(
      deps,
      scene,
      history.map((h) => h.by),
    ),
    history,
  };
}

const BUSY =
  "Many people changed this action at the same moment and I couldn't save your change, so nothing of yours has changed. Here it is as it stands now; please try again.";

/**
 * Whether a card was already out of date when it was pressed: its version is not the action's,
 * and the action's last change was saved before the press was made. Teams stamps each activity
 * with the time it was sent; without a usable stamp (none, or one in the future), the time it
 * arrived is used, which only ever makes a card count as stale sooner.
 */
export function isStale(
  cardVersion: string,
  current: Versioned<Action>,
  pressedAt: Date | undefined,
  now: Date,
): boolean {
  if (cardVersion === current.version) return false;
  const pressed =
    pressedAt && !Number.isNaN(pressedAt.getTime()) && pressedAt.getTime() <= now.getTime()
      ? pressedAt
      : now;
  return Date.parse(current.value.updatedAt) < pressed.getTime();
}

function staleText(scene: ActionScene): string {
  const a = scene.action.value;
  return `This card was out of date: ${nameOf(scene, a.updatedBy)} changed action ${a.ref} since it was sent, so I haven't changed anything. Here it is as it stands now; choose again if you still want to.`;
}

/**
 * A refused press, in the history of the action it was about: who, which field (and a chosen
 * value, never typed text: ActionVerb.attempted), and why; nothing else is written. Past the
 * person's limit of refusals (RefusalThrottle) nothing is written at all. Whether it was written.
 */
async function recordRefusal(
  deps: CardActionDeps,
  scene: ActionScene,
  by: string,
  attempted: Pick<AnswerEntry, 'field' | 'to'>,
  why: string,
  press: CardPress,
  /** The action as last read: the entry comes after its last change. */
  about: Action = scene.action.value,
): Promise<boolean> {
  if (deps.refusals && !deps.refusals.record(by, deps.clock.now())) {
    deps.logger.info(
      {
        ref: scene.action.value.ref,
        verb: press.verb,
        aadObjectId: press.actor.aadObjectId ?? null,
        limit: deps.refusals.limit,
        windowMinutes: deps.refusals.windowMinutes,
      },
      'a refused press was not written to history: too many refusals from one person',
    );
    return false;
  }
  await deps.plans.save(scene.plan.id, {
    history: [
      {
        planId: scene.plan.id,
        ref: scene.action.value.ref,
        at: entryTime(about.updatedAt, deps.clock.now()),
        by,
        kind: 'refused',
        ...(attempted.field ? { field: attempted.field } : {}),
        ...(attempted.to ? { to: attempted.to } : {}),
        note: unnoted(why).replace(/ Nothing has changed\.$/, ''),
      },
    ],
  });
  return true;
}

/** A refusal's text without its last sentence saying the attempt is in the history. */
const unnoted = (refusal: string): string =>
  refusal.replace(/ Nothing has changed.*$/, ' Nothing has changed.');

/** What follows a saved change; never rejects. */
async function afterChange(
  deps: CardActionDeps,
  scene: ActionScene,
  press: CardPress,
  by: string,
  result: RecordedAnswer,
  outcome: Outcome,
  copies: CopyUpdater | undefined,
): Promise<void> {
  await remember(deps, scene, press, by);
  // The presser's own card is replaced by the answer (Action.Execute in a personal chat); in a
  // shared chat, or with the Action.Submit fallback, it is updated like every other copy.
  const except =
    press.via === 'execute' && press.scope === 'personal' ? press.message?.activityId : undefined;
  await Promise.all([
    copies?.update(scene.plan.id, result.action.value.ref, except),
    ...(outcome.notices ?? []).map((n) => tell(deps, scene, result, n)),
  ]);
}

/**
 * Records the pressed message as a copy of the action's card (unless it is recorded already, as a
 * reminder say), so that later changes update it too. Never rejects.
 */
async function remember(
  deps: CardActionDeps,
  scene: ActionScene,
  press: CardPress,
  by: string,
): Promise<void> {
  const { sentCards } = deps;
  const message = press.message;
  if (!sentCards || !message) return;
  const ref = scene.action.value.ref;
  try {
    const known = await sentCards.listForAction(scene.plan.id, ref);
    if (known.some((c) => c.activityId === message.activityId)) return;
    await sentCards.record({
      planId: scene.plan.id,
      ref,
      activityId: message.activityId,
      conversation: message.conversation,
      kind: 'pressed',
      // Per person in a personal chat; in a group chat or channel the card is everyone's.
      recipient: press.scope === 'personal' ? by : press.scope,
      sentAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    deps.logger.warn({ ref, err: error }, 'could not record the pressed card as a copy');
  }
}

/** Gives each person of a notice the action's card with its banner, and records the copy. */
async function tell(
  deps: CardActionDeps,
  scene: ActionScene,
  result: RecordedAnswer,
  notice: Notice,
): Promise<void> {
  const { delivery } = deps;
  if (!delivery) return;
  const ref = result.action.value.ref;
  await Promise.all(
    notice.to.map(async (person) => {
      try {
        const card = actionCard(deps, scene, result.action, {
          person: { email: person.email },
          banner: notice.banner,
        });
        const activityId = await delivery.send(person.conversation!, card);
        await deps.sentCards?.record({
          planId: scene.plan.id,
          ref,
          activityId,
          conversation: person.conversation!,
          kind: notice.kind,
          recipient: person.email,
          sentAt: deps.clock.now().toISOString(),
        });
      } catch (error) {
        deps.logger.warn(
          { ref, recipient: person.aadObjectId ?? null, kind: notice.kind, err: error },
          'could not give someone the action card',
        );
      }
    }),
  );
}
