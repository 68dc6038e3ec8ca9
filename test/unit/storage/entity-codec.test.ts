import { actionRecord } from '../../../src/domain/plan.js';
import { deliveryRecord, type DeliveryRecord } from '../../../src/ports/delivery-records.js';
import { entityCodec, type StoredEntity } from '../../../src/storage/entity-codec.js';
import { anAction, PLAN_ID } from '../../helpers/builders.js';

/**
 * The one mapping of a record to a table entity, worked out from the record's schema: the layout
 * every table already has (text as text, booleans and numbers as themselves, lists and records as
 * JSON, key fields left to the keys), and a stored record that does not read named by its keys
 * and field.
 */

const actions = entityCodec(actionRecord, ['planId', 'ref']);
const deliveries = entityCodec(deliveryRecord);

const stored = (props: Record<string, unknown>): StoredEntity => ({
  partitionKey: PLAN_ID,
  rowKey: 'action|1.1',
  etag: 'W/"1"',
  ...props,
});

const delivery: DeliveryRecord = {
  planId: PLAN_ID,
  id: 'before|1.1|7|kim',
  ref: '1.1',
  kind: 'before',
  workingDaysBefore: 7,
  recipient: 'kim@x.gov.uk',
  role: 'owner',
  scheduledFor: '2017-03-10',
  caughtUp: true,
  state: 'sent',
  queuedAt: '2017-03-10T09:00:00.000Z',
  updatedAt: '2017-03-10T09:00:01.000Z',
  attempts: 1,
  throttled: 0,
};

describe('entityCodec', () => {
  it('lays an action out as the plan table always has: text, JSON for lists and the target, no keys', () => {
    const action = anAction({ ref: '4.9a', area: 'HMPPS', owners: ['a@x.gov.uk'] });
    const props = actions.properties(action, 'Action 4.9a');
    expect(props).toEqual({
      recommendation: action.recommendation,
      text: action.text,
      priority: action.priority,
      target: JSON.stringify(action.target),
      status: action.status,
      owners: '["a@x.gov.uk"]',
      area: 'HMPPS',
      updatedAt: action.updatedAt,
      updatedBy: action.updatedBy,
    });
    expect(actions.fromEntity(stored(props), { planId: PLAN_ID, ref: '4.9a' })).toEqual(action);
  });

  it('keeps numbers and booleans as themselves, and reads past properties it does not know', () => {
    const props = deliveries.properties(delivery, 'A reminder');
    expect(props).toMatchObject({ workingDaysBefore: 7, attempts: 1, caughtUp: true });
    const e = stored({ ...props, Timestamp: '2017-03-10T09:00:01Z', laterField: 'x' });
    expect(deliveries.fromEntity(e)).toEqual(delivery);
  });

  it('names the record by its keys and each field that does not read, with the value found', () => {
    const props = actions.properties(anAction(), 'Action 1.1');
    const read = () =>
      actions.fromEntity(stored({ ...props, status: 'nearly done', owners: '[1]', text: 7 }), {
        planId: PLAN_ID,
        ref: '1.1',
      });
    expect(read).toThrow(
      `Stored record ${PLAN_ID}/action|1.1 cannot be read: text is 7, not text; status "nearly done" is not a status; owners[0] is 1, not text.`,
    );
    expect(() => actions.fromEntity(stored({ ...props, target: '{' }))).toThrow(
      'cannot be read: target is not JSON.',
    );
  });

  it('refuses to store a value Table Storage cannot hold, saying which', () => {
    const action = anAction({ note: 'x'.repeat(40_000) });
    expect(() => actions.properties(action, 'Action 1.1')).toThrow(
      'Action 1.1 is too large to store: its note is 40,000 characters long, and the limit is 32,768.',
    );
  });
});
