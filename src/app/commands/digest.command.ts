import { buildDigest } from '../digest/build-digest.js';
import { digestAnswerFor, type DigestCommand } from '../digest/digest-commands.js';
import type { CommandHandler } from './command-handler.js';
import { notice } from './replies.js';

type DigestKind = DigestCommand['kind'];

/**
 * `subscribe digest` and `unsubscribe digest` (in a channel or group chat) and `digest preview`,
 * for admins and KIM Champions (src/app/digest says who may and what each does).
 */
function digestHandler<K extends DigestKind>(kind: K): CommandHandler<K> {
  return {
    async answer(_command, turn) {
      const s = turn.planned();
      const { deps, context } = turn;
      const answered = await digestAnswerFor(deps, {
        kind,
        plan: s.plan,
        roles: s.roles,
        scope: context.scope,
        now: s.now,
        ...(context.conversation ? { conversation: context.conversation } : {}),
      });
      if (answered.kind === 'notice') return notice(deps, answered.view);
      // Drawn with its own plain fallback (build-digest.ts), should the card be too big.
      return { card: (await buildDigest(deps, s.plan, s.now, { preview: true })).card };
    },
  };
}

export const subscribeDigestCommand = digestHandler('subscribeDigest');
export const unsubscribeDigestCommand = digestHandler('unsubscribeDigest');
export const digestPreviewCommand = digestHandler('digestPreview');
