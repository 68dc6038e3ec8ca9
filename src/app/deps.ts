import type { Clock } from '../ports/clock.js';
import type { PlanRepository } from '../ports/plan-repository.js';

/** What the use cases need from the outside world; the entry points fill it in (container.ts). */
export interface AppDeps {
  readonly plans: PlanRepository;
  readonly clock: Clock;
}
