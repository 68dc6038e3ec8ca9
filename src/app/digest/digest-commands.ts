import { digestScheduleOf, WEEKDAYS } from '../../domain/digest.js';
import type { PersonRoles } from '../../domain/permissions.js';
import type { Plan } from '../../domain/plan.js';
import type { CardView, ConversationScope } from '../../ports/card-renderer.js';
import type { DigestSubscriptionRepository } from '../../ports/digest-subscriptions.js';

type Notice = Omit<Extract<CardView, { kind: 'message' }>, 'kind'>;

export interface DigestCommand {
  readonly kind: 'subscribeDigest' | 'unsubscribeDigest' | 'digestPreview';
  readonly plan: Plan;
  readonly roles: PersonRoles;
  readonly scope: ConversationScope;
  readonly now: Date;
  readonly conversation?: {
    readonly id: string;
    readonly reference: string;
    readonly name?: string;
  };
}

/** A notice to show, or "show the preview". */
export type DigestAnswer = { kind: 'notice'; view: Notice } | { kind: 'preview' };

/** Admins and KIM Champions subscribe channels and see the digest (it names every owner). */
export const mayUseDigest = (roles: PersonRoles): boolean =>
  roles.admin || roles.championOf.length > 0;

/** "every Monday at 09:00 (Europe/London time)". */
export function scheduleText(plan: Plan): string {
  const s = digestScheduleOf(plan);
  const day = WEEKDAYS[s.weekday - 1]!;
  return `every ${day[0]!.toUpperCase()}${day.slice(1)} at ${s.sendAt} (${plan.timeZone} time)`;
}

/**
 * `subscribe digest`, `unsubscribe digest` (in a channel or group chat) and `digest preview`,
 * for admins and KIM Champions; everyone else is told who can.
 */
export async function digestAnswerFor(
  deps: { readonly digestSubscriptions?: DigestSubscriptionRepository },
  c: DigestCommand,
): Promise<DigestAnswer> {
  const notice = (view: Notice): DigestAnswer => ({ kind: 'notice', view });
  if (!mayUseDigest(c.roles)) {
    return notice({
      title: 'Only a plan admin or KIM Champion can do that',
      text: 'Only a plan admin or a KIM Champion can subscribe a channel to the weekly digest or preview it, as it names every owner. **status** shows where things stand.',
      tone: 'warning',
    });
  }
  if (c.kind === 'digestPreview') return { kind: 'preview' };
  const digests = deps.digestSubscriptions;
  if (!digests) {
    return notice({
      text: 'The weekly digest is not available from this copy of the bot.',
      tone: 'warning',
    });
  }
  if (c.scope === 'personal' || !c.conversation) {
    return notice({
      text: `The digest goes to a channel or group chat: @mention me there and say **${c.kind === 'subscribeDigest' ? 'subscribe' : 'unsubscribe'} digest**. Here, **digest preview** shows it.`,
    });
  }
  if (c.kind === 'subscribeDigest') {
    const existing = await digests.get(c.plan.id, c.conversation.id);
    if (existing) {
      return notice({
        text: `This ${where(c.scope)} already gets the weekly digest of ${c.plan.title}, ${scheduleText(c.plan)}. Say **unsubscribe digest** to stop it.`,
      });
    }
    await digests.save({
      planId: c.plan.id,
      conversationId: c.conversation.id,
      reference: c.conversation.reference,
      kind: c.scope,
      ...(c.conversation.name ? { name: c.conversation.name } : {}),
      subscribedBy: c.roles.email ?? 'teams',
      subscribedAt: c.now.toISOString(),
    });
    return notice({
      title: 'Subscribed to the weekly digest',
      text: `This ${where(c.scope)} will get the weekly digest of ${c.plan.title} ${scheduleText(c.plan)}: progress, overdue actions with their owners, what is due, and what changed. Say **digest preview** to see it now, or **unsubscribe digest** to stop it.`,
      tone: 'good',
    });
  }
  const removed = await digests.remove(c.plan.id, c.conversation.id);
  return notice(
    removed
      ? {
          title: 'Unsubscribed',
          text: `This ${where(c.scope)} will no longer get the weekly digest of ${c.plan.title}.`,
          tone: 'good',
        }
      : {
          text: `This ${where(c.scope)} was not subscribed to the weekly digest; nothing has changed.`,
        },
  );
}

const where = (scope: ConversationScope): string => (scope === 'channel' ? 'channel' : 'chat');
