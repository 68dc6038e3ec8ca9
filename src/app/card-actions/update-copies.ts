import { isEmail, normaliseEmail } from '../../domain/plan.js';
import type { SentCard } from '../../ports/sent-card-repository.js';
import { actionCard, loadScene, type ActionScene } from './action-scene.js';
import type { CardActionDeps } from './card-press.js';

/**
 * Keeps every recorded copy of an action's card (reminders, escalations, answers, cards pressed)
 * showing the action as it is now, by replacing each message's card in place.
 *
 * Updates of one action are run one at a time, and presses that come while one runs are folded
 * into one more run, which reads the action afresh: twenty presses at once cost two rounds of
 * updates, not twenty, and the last card to land in each message is the latest state (updates
 * running side by side could land in any order). Within one process; on several instances the
 * cards' refresh brings owners' and champions' views up to date whatever order updates land in.
 */
export class CopyUpdater {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly deps: CardActionDeps) {}

  /**
   * Brings every copy up to date, skipping `except` (the message whose card the presser's answer
   * replaces already). The call that starts a run resolves when the copies show at least the
   * state at the time of the call; one made while a run is under way is folded into it and
   * resolves at once, so that the work after twenty answers does not hold twenty places in the
   * queue of work after answers (AfterAnswers) waiting on one run. Never rejects: a copy that
   * cannot be updated is logged and left.
   */
  update(planId: string, ref: string, except?: string): Promise<void> {
    const key = `${planId}|${ref}`;
    const running = this.runs.get(key);
    if (running) {
      running.again = true;
      running.except = except;
      return Promise.resolve();
    }
    const run: Run = { again: false, except, done: Promise.resolve() };
    run.done = (async () => {
      try {
        do {
          run.again = false;
          const skip = run.except;
          run.except = undefined;
          await this.once(planId, ref, skip);
        } while (run.again);
      } finally {
        this.runs.delete(key);
      }
    })();
    this.runs.set(key, run);
    return run.done;
  }

  private async once(planId: string, ref: string, except: string | undefined): Promise<void> {
    const { deps } = this;
    const log = deps.logger.child({ planId, ref });
    try {
      if (!deps.sentCards || !deps.delivery) return;
      const copies = (await deps.sentCards.listForAction(planId, ref)).filter(
        (c) => c.activityId !== except,
      );
      if (copies.length === 0) return;
      const scene = await loadScene(deps, planId, ref);
      const results = await Promise.allSettled(copies.map((copy) => this.replace(scene, copy)));
      const failed = results.filter((r) => r.status === 'rejected').length;
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          log.warn(
            { activityId: copies[i]!.activityId, kind: copies[i]!.kind, err: r.reason },
            'could not update an earlier copy of an action card',
          );
        }
      });
      log.debug({ updated: copies.length - failed, failed }, 'copies of the action card updated');
    } catch (error) {
      log.warn({ err: error }, 'could not update the copies of an action card');
    }
  }

  private async replace(scene: ActionScene, copy: SentCard) {
    const delivery = this.deps.delivery!;
    // A card sent to one person shows their buttons; one in a group chat or channel, everyone's.
    const card = actionCard(
      this.deps,
      scene,
      scene.action,
      isEmail(copy.recipient) ? { person: { email: normaliseEmail(copy.recipient) } } : {},
    );
    await delivery.update(copy.conversation, copy.activityId, card);
  }
}

interface Run {
  again: boolean;
  except: string | undefined;
  done: Promise<void>;
}
