/**
 * How many refused presses of one person are written to history: the first `limit` within
 * `windowMinutes`, then none until the oldest of them is out of the window. Someone pressing
 * buttons they may not press (by mistake, or a script replaying invokes) is still answered every
 * time, but cannot grow an action's history without bound.
 *
 * Kept in memory, per process: several instances each allow `limit`, which still bounds the
 * history; a restart forgets, which only allows one more burst. At most `maxPeople` people are
 * remembered (the longest quiet go first), so the map stays small whoever sends.
 */
export class RefusalThrottle {
  private readonly recent = new Map<string, number[]>();

  constructor(
    readonly limit = 5,
    readonly windowMinutes = 10,
    private readonly maxPeople = 10_000,
  ) {}

  /** Counts one refused press by `who` at `now`; false when it is over the limit. */
  record(who: string, now: Date): boolean {
    const since = now.getTime() - this.windowMinutes * 60_000;
    const times = (this.recent.get(who) ?? []).filter((t) => t > since);
    const allowed = times.length < this.limit;
    if (allowed) times.push(now.getTime());
    // Re-inserted last: the map's first key is always the longest quiet.
    this.recent.delete(who);
    this.recent.set(who, times);
    if (this.recent.size > this.maxPeople) {
      const quietest = this.recent.keys().next().value;
      if (quietest !== undefined) this.recent.delete(quietest);
    }
    return allowed;
  }
}
