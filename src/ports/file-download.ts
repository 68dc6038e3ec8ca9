/**
 * Fetches a file someone sent the bot, from the address Teams gave for it (a short-lived,
 * pre-authorised link into the sender's OneDrive). Resolves to its bytes; never trusts the name or
 * the type Teams gives, which only the plan reader's look at the bytes decides. Throws
 * ActionPlanError('invalid_input') with a plain message when the file cannot be had: an address
 * not allowed, a refused or failed download, one that takes too long, or a file over the size cap.
 */
export type DownloadFile = (url: string) => Promise<Uint8Array>;
