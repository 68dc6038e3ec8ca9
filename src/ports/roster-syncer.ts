/** What re-reading one roster came to (see src/teams/roster-sync.ts for the counts). */
export interface RosterSyncOutcome {
  /** The team's id, or the group chat's conversation id. */
  readonly rosterId: string;
  readonly outcome: 'synced' | 'failed';
  readonly added?: number;
  readonly removed?: number;
  /** Why it failed, in plain words. */
  readonly reason?: string;
}

/**
 * Re-reads the roster of every team and group chat the bot is in and stores it, as when it was
 * added (members who joined or left while an event was missed are caught). Implemented in
 * src/teams, the only code that can ask Teams.
 */
export interface RosterSyncer {
  syncAll(options?: { readonly signal?: AbortSignal }): Promise<readonly RosterSyncOutcome[]>;
}
