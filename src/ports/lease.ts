/**
 * A named lease: at most one holder at a time, for a limited time, across every instance of the
 * bot. The scheduler takes it before a sweep so that several instances do not all sweep (and
 * send) at once; it is an efficiency and rate-limit guard, not what stops duplicates (the
 * delivery records do that), so a lease that lapses mid-sweep costs nothing but a little work.
 */
export interface LeaseStore {
  /**
   * Takes the lease for `holder` for `ttlMs` (or renews it, when `holder` has it already).
   * Resolves to false when someone else holds an unexpired lease, or won a race for it.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` still has it; otherwise does nothing. */
  release(name: string, holder: string): Promise<void>;
}
