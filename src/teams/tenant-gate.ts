import type { Activity } from 'botbuilder';
import type { Logger } from '../ports/logger.js';
import type { BotSettings } from './bot-settings.js';
import { tenantOf } from './incoming.js';

/**
 * Whether an activity may reach the routes, by its tenant. Fails closed: with a list, an activity
 * naming no tenant, or one not in it, is dropped; a list that is empty answers nobody (config.ts
 * only leaves it empty when every tenant is meant). Teams names the tenant twice, in the
 * conversation and in channelData: when both are there they must agree, whatever the list, since
 * a route may read either. Every drop is logged, and nothing is stored or said.
 */
export function tenantGate(
  settings: Pick<BotSettings, 'allowedTenantIds' | 'anyTenant'>,
  logger: Logger,
): (activity: Partial<Activity>) => boolean {
  const allowed = new Set(settings.allowedTenantIds.map((t) => t.toLowerCase()));
  return (activity) => {
    const fields = { activityId: activity.id, type: activity.type };
    const named = namedTenants(activity);
    if (named.length > 1) {
      logger.warn(
        { ...fields, tenantIds: named },
        'activity ignored: conversation.tenantId and channelData.tenant.id name different tenants',
      );
      return false;
    }
    if (settings.anyTenant) return true;
    const tenant = tenantOf(activity);
    if (tenant !== undefined && allowed.has(tenant)) return true;
    logger.warn(
      { ...fields, tenantId: tenant ?? null },
      'activity ignored: its tenant is not allowed',
    );
    return false;
  };
}

/** The different tenant ids an activity names (lower-cased), in channelData and conversation. */
function namedTenants(activity: Partial<Activity>): string[] {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)
    ?.tenant?.id;
  const ids = [fromChannelData, activity.conversation?.tenantId]
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((id) => id.toLowerCase());
  return [...new Set(ids)];
}
