import type { RenderCard } from '../../ports/card-renderer.js';
import type { ChannelPoster } from '../../ports/channel-poster.js';
import type { DeliveryRecordRepository } from '../../ports/delivery-records.js';
import type { DigestSubscriptionRepository } from '../../ports/digest-subscriptions.js';
import type { LeaseStore } from '../../ports/lease.js';
import type { Logger } from '../../ports/logger.js';
import type { PeopleRepository } from '../../ports/people-repository.js';
import type { AppDeps } from '../deps.js';

/** What composing a digest needs: the plan and its history, the people, the card renderer. */
export type DigestReadDeps = AppDeps & {
  readonly people: PeopleRepository;
  readonly renderCard: RenderCard;
};

/**
 * What the digest sweep needs on top: the subscriptions, the reminders' delivery records and
 * lease (one digest per channel per week is a delivery record created once), and Teams.
 */
export type DigestDeps = DigestReadDeps & {
  readonly digestSubscriptions: DigestSubscriptionRepository;
  readonly deliveries: DeliveryRecordRepository;
  readonly leases: LeaseStore;
  readonly poster: ChannelPoster;
  readonly logger: Logger;
  /** Who this instance is, for the lease and the records it claims. */
  readonly instanceId: string;
};
