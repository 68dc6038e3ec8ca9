import type { DeliveryState } from '../../ports/delivery-records.js';
import { remindersDueAt } from './due-now.js';
import { oldestScheduledFor } from './records.js';
import type { ReminderReadDeps } from './reminder-deps.js';

export interface PreviewItem {
  readonly planId: string;
  readonly ref: string;
  readonly kind: string;
  readonly workingDaysBefore?: number;
  readonly recipient: string;
  readonly role: string;
  readonly scheduledFor: string;
  readonly caughtUp: boolean;
  /**
   * `would_send`: goes out at the next sweep; `unreachable`: due, but the bot cannot message the
   * person (not installed, or refused); otherwise the state of the delivery already under way.
   */
  readonly status: 'would_send' | 'unreachable' | DeliveryState;
}

/**
 * What would go out at `asOf` (ref, kind, recipient), sending nothing and writing nothing: the
 * same policy and the same records the sweep uses, so what it lists is what a sweep would queue.
 */
export async function previewReminders(
  deps: ReminderReadDeps,
  options: { readonly asOf: Date; readonly planId?: string },
): Promise<PreviewItem[]> {
  const items: PreviewItem[] = [];
  for (const { plan, due } of await remindersDueAt(deps, options.asOf, options.planId)) {
    if (due.length === 0) continue;
    const records = await deps.deliveries.listSince(plan.id, oldestScheduledFor(due));
    const state = new Map(records.map((r) => [r.value.id, r.value.state]));
    for (const r of due) {
      items.push({
        planId: r.planId,
        ref: r.ref,
        kind: r.kind,
        ...(r.workingDaysBefore === undefined ? {} : { workingDaysBefore: r.workingDaysBefore }),
        recipient: r.recipient,
        role: r.role,
        scheduledFor: r.scheduledFor,
        caughtUp: r.caughtUp,
        status: state.get(r.id) ?? (r.reachable ? 'would_send' : 'unreachable'),
      });
    }
  }
  return items;
}
