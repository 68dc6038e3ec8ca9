import { isActionPlanError } from '../../domain/errors.js';
import { actionCard, emailOf, loadScene } from './action-scene.js';
import type { CardActionDeps, CardAnswer, CardPress } from './card-press.js';
import { fieldsOf, type PressFields } from './press-data.js';
import { normaliseRef } from '../../domain/action-ref.js';

/**
 * The card's refresh (Universal Actions): Teams asks, for one of the users the card names, for
 * the card as it is now; the answer is the action's card for them, with their buttons and the
 * current version. Nothing is written. A card about an action or plan that has gone is answered
 * with a message (Teams keeps showing the old card).
 */
export async function refreshActionCard(
  deps: CardActionDeps,
  press: CardPress,
): Promise<CardAnswer> {
  try {
    const fields: PressFields = fieldsOf(press.data);
    const ref = typeof fields['ref'] === 'string' ? normaliseRef(fields['ref']) : undefined;
    const planId = fields['planId'];
    if (!ref || typeof planId !== 'string' || planId === '') {
      return { text: "This card doesn't say which action it shows, so I can't refresh it." };
    }
    const scene = await loadScene(deps, planId, ref, press.actor);
    return {
      card: actionCard(deps, scene, scene.action, {
        person: { email: emailOf(scene) },
      }),
    };
  } catch (error) {
    if (isActionPlanError(error) && error.reason !== 'storage_unavailable') {
      return { text: error.message };
    }
    throw error;
  }
}
