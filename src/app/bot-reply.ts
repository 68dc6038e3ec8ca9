import type { ExportFormat } from '../domain/export-format.js';

/**
 * Who is speaking to the bot, as the Teams edge knows them. Roles are worked out from this by the
 * use cases (admin from ADMIN_EMAILS or storage, champion from areas, owner from actions).
 */
export interface Actor {
  readonly aadObjectId?: string;
  /** Email or UPN, lower-cased, when known (never for an account kept apart). */
  readonly email?: string;
  readonly name?: string;
  /** The Entra tenant of their account: ADMIN_EMAILS count only in the tenants the bot answers. */
  readonly tenantId?: string;
  /** Their account was kept apart (another account holds their address): no roles. */
  readonly keptApart?: boolean;
}

/** An Adaptive Card as plain JSON (schema 1.5), already expanded from its template. */
export type AdaptiveCard = Record<string, unknown>;

/**
 * A file the bot offers to send. Teams asks the person first (a file consent card, personal chat
 * only); when they accept, `request` comes back and the file is made again and uploaded.
 */
export interface FileOffer {
  /** "moj-ima-2017-progress-update-november-2026.docx" */
  readonly name: string;
  readonly sizeInBytes: number;
  readonly description: string;
  readonly request: ExportFileRequest;
}

/** What to export when the person accepts the file: enough to make the same file again. */
export interface ExportFileRequest {
  readonly planId: string;
  readonly format: ExportFormat;
  readonly label: string;
  /** ISO instant the update was asked for, so the accepted file is dated as offered. */
  readonly asOf: string;
}

/** What the bot says back: text (markdown as Teams renders it), a card, or both; maybe a file. */
export interface BotReply {
  readonly text?: string;
  readonly card?: AdaptiveCard;
  readonly file?: FileOffer;
}
