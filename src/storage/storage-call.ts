import { RestError } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';

/**
 * How a table adapter turns "storage is down" into an error a person can read. Kept apart from the
 * adapters so that the people table says exactly what the plan table says about the same outage
 * (every Azure adapter runs its calls through it).
 */

/** Error codes of a network that failed, a host that is not there, or a request given up on. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  RestError.REQUEST_SEND_ERROR,
]);

/**
 * Runs one storage call. Refused credentials and a storage that does not answer become
 * ActionPlanError('storage_unavailable') with a plain message (the technical cause in `details`);
 * an ActionPlanError passes through; anything else is a bug and is rethrown as it is.
 */
export async function storageCall<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ActionPlanError) throw error;
    const status = statusOf(error);
    if (status === 401 || status === 403) {
      throw new ActionPlanError(
        'storage_unavailable',
        `Storage refused the bot's credentials, so it could not ${doing}. Check the storage connection string, or (with AZURE_STORAGE_ACCOUNT_URL) that the bot's managed identity has the Storage Table Data Contributor role on the account.`,
        [messageOf(error)],
        { cause: error },
      );
    }
    if (isUnavailable(error)) {
      throw new ActionPlanError(
        'storage_unavailable',
        `Storage is not answering, so the bot could not ${doing}. Try again in a few minutes.`,
        [messageOf(error)],
        { cause: error },
      );
    }
    throw error;
  }
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const status = statusOf(error);
  return status !== undefined && (status >= 500 || status === 408);
}

/** The HTTP status of a failed storage request, when it got that far. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** An error's message, for the technical details of a plain one. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
