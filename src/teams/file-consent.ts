import type { Attachment, FileConsentCardResponse, TurnContext } from 'botbuilder';
import type { ExportFileRequest, FileOffer } from '../app/bot-reply.js';
import { exportForPerson } from '../app/export-plan.js';
import { EXPORT_FORMATS } from '../domain/export-format.js';
import { ActionPlanError, isActionPlanError } from '../domain/errors.js';
import { senderOf } from './members.js';
import type { BotDeps } from '../app/bot-deps.js';
import type { Logger } from '../ports/logger.js';

/** The routes' context (message-route's RouteContext, named here to keep replies.ts acyclic). */
interface RouteContext {
  readonly deps: BotDeps;
  readonly logger: Logger;
}

/**
 * Sending a file in Teams, the one way a bot can without Microsoft Graph permissions: in a personal
 * chat, the bot sends a file consent card (name, size, description); when the person accepts,
 * Teams sends a `fileConsent/invoke` with an upload URL in their OneDrive; the bot PUTs the bytes
 * there and then posts a file info card, which shows the file in the chat. Group chats and
 * channels have no consent card (files there live in SharePoint and need Graph), so the bot does
 * not offer files there. The manifest must say `"supportsFiles": true`.
 *
 * The file is not kept between the offer and the answer (which may come hours later, to another
 * instance of the bot): the offer carries what to export, and the file is made again on accept.
 */

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** The consent card for a file offer; the request comes back in the answer's `context`. */
export function fileConsentAttachment(offer: FileOffer): Attachment {
  return {
    contentType: FILE_CONSENT_CARD,
    name: offer.name,
    content: {
      description: offer.description,
      sizeInBytes: offer.sizeInBytes,
      acceptContext: offer.request,
      declineContext: offer.request,
    },
  };
}

/** Give up on an upload after this long: the person is waiting on the card. */
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * The person accepted: make the file again (their roles are checked again), upload it to the URL
 * Teams gave, and post the file card. Whatever goes wrong is said in the chat, never thrown: the
 * invoke is always answered 200 so the consent card does not show an error of its own.
 */
export function fileConsentAccepted(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    const log = route.logger;
    const response = (context.activity.value ?? {}) as Partial<FileConsentCardResponse>;
    try {
      const request = exportRequestOf(response.context);
      const upload = response.uploadInfo;
      if (!upload?.uploadUrl) {
        throw new ActionPlanError('invalid_input', 'Teams did not say where to upload the file.');
      }
      const sender = await senderOf(context, route.deps.people, route.logger);
      const exported = await exportForPerson(route.deps, sender.actor, request);
      await put(upload.uploadUrl, exported.bytes);
      await context.sendActivity({
        type: 'message',
        text: `Here is the progress update – ${exported.label}, saved to your OneDrive.`,
        attachments: [
          {
            contentType: FILE_INFO_CARD,
            contentUrl: upload.contentUrl,
            name: upload.name ?? exported.fileName,
            content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
          },
        ],
      });
      log.info(
        { planId: request.planId, format: request.format, bytes: exported.bytes.length },
        'progress update sent as a file',
      );
    } catch (error) {
      if (isActionPlanError(error)) log.info({ err: error }, 'progress update file not sent');
      else log.error({ err: error }, 'progress update file could not be uploaded');
      await context.sendActivity({
        type: 'message',
        text: isActionPlanError(error)
          ? error.message
          : "Sorry, I couldn't upload the file to your OneDrive. Ask for it again with **export**, or ask the KIM team to run actionplan export.",
      });
    }
  };
}

/** The person declined: say so, and how to have it another time. */
export function fileConsentDeclined(route: RouteContext) {
  return async (context: TurnContext): Promise<void> => {
    route.logger.debug({}, 'file offer declined');
    await context.sendActivity({
      type: 'message',
      text: 'No file, then. Ask me for **export** whenever you want it.',
    });
  };
}

/** Reads the request an accepted consent card carries back; anything else is refused. */
export function exportRequestOf(context: unknown): ExportFileRequest {
  const c = (context ?? {}) as Partial<Record<keyof ExportFileRequest, unknown>>;
  const format = EXPORT_FORMATS.find((f) => f === c.format);
  if (
    typeof c.planId !== 'string' ||
    !format ||
    typeof c.label !== 'string' ||
    typeof c.asOf !== 'string'
  ) {
    throw new ActionPlanError(
      'invalid_input',
      'That file offer is not one I recognise; ask me for **export** again.',
    );
  }
  return { planId: c.planId, format, label: c.label, asOf: c.asOf };
}

/** One PUT of the whole file to the OneDrive upload session Teams opened (it takes up to 4 MB). */
async function put(url: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: {
      'Content-Length': String(bytes.length),
      'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}`,
    },
    body: bytes,
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`The upload was refused: HTTP ${res.status}.`);
}
