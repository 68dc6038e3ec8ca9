import { approveDate, declineDate, proposeDate } from '../../../../src/app/card-actions/index.js';
import { MOJ_PLAN_ID } from '../../../helpers/bot-world.js';
import {
  ADMIN,
  CHAMPION,
  cardText,
  cardWorld,
  OWNER,
  PERSONAL_CHAT,
  READER,
  type CardWorld,
} from './card-world.js';
import { buttonsOf } from './card-world.js';

const REASON = 'Waiting on the records supplier';

async function needApproval(world: CardWorld): Promise<void> {
  const plan = (await world.deps.plans.getPlan(MOJ_PLAN_ID))!;
  await world.deps.plans.save(MOJ_PLAN_ID, {
    plan: {
      value: { ...plan.value, settings: { newDatesNeedApproval: true } },
      expectedVersion: plan.version,
    },
  });
}

describe('propose a new date: by default the owner moves it and the champion is told', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it('moves the target, keeping the old text in the history, and tells the champion', async () => {
    const answer = await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    const action = (await world.action('4.9a')).value;
    expect(action.target).toEqual({ kind: 'date', text: '30 September 2017', date: '2017-09-30' });
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      field: 'target',
      from: 'End Mar 2017',
      to: '30 September 2017',
      note: REASON,
    });
    expect(cardText(answer)).toContain('moved to 30 September 2017');
    expect(cardText(answer)).toContain("I've told Priya Champion (the KIM Champion for HMPPS)");

    await answer.afterwards!();
    expect(world.delivery.sent.map((s) => s.conversation)).toEqual([PERSONAL_CHAT(CHAMPION)]);
    const told = JSON.stringify(world.delivery.sent[0]!.card);
    expect(told).toContain(
      'Alex Owner moved the target of action 4.9a from End Mar 2017 to 30 September 2017',
    );
    expect(told).toContain(REASON);
    // Recorded, so the champion's card is kept up to date too.
    expect((await world.sentCards.listForAction(MOJ_PLAN_ID, '4.9a')).map((c) => c.kind)).toContain(
      'date-moved',
    );
  });

  it('does not tell champions their own change', async () => {
    const answer = await world.press(proposeDate, CHAMPION, { date: '2017-09-30', reason: REASON });
    await answer.afterwards!();
    expect(world.delivery.sent).toEqual([]);
  });

  it.each([
    [{ date: '2017-09-31', reason: REASON }, 'is not a real date'],
    [{ date: '30/09/2017', reason: REASON }, 'should be a date chosen with the date picker'],
    [{ date: 20170930, reason: REASON }, 'should be a date chosen with the date picker'],
    [{ date: '2017-06-19', reason: REASON }, 'must be 20 June 2017 or later'],
    [{ date: '2099-01-01', reason: REASON }, 'within 10 years'],
    [{ reason: REASON }, 'Choose the new target date'],
    [{ date: '2017-09-30' }, 'Say why the date needs to move'],
    [{ date: '2017-09-30', reason: ' ' }, 'Say why the date needs to move'],
  ])('refuses %j with a message', async (data, message) => {
    const before = await world.action('4.9a');
    const answer = await world.press(proposeDate, OWNER, data);
    expect(answer.text).toContain(message);
    expect(await world.action('4.9a')).toEqual(before);
  });

  it('refuses a reader and notes the attempt', async () => {
    await world.press(proposeDate, READER, { date: '2017-09-30', reason: REASON });
    expect((await world.action('4.9a')).value.target.text).toBe('End Mar 2017');
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      field: 'target',
      to: '30 September 2017',
    });
  });
});

describe('propose a new date on a plan that needs the champion to approve', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
    await needApproval(world);
  });

  it("keeps the owner's date as a proposal and asks the champion, whose card can decide", async () => {
    const answer = await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    const action = (await world.action('4.9a')).value;
    expect(action.target.text).toBe('End Mar 2017');
    expect(action.proposedTarget).toMatchObject({ date: '2017-09-30', reason: REASON, by: OWNER });
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      field: 'proposed target',
      to: '30 September 2017',
      note: REASON,
    });
    expect(cardText(answer)).toContain("I've asked Priya Champion");
    // The owner sees the proposal but cannot decide it.
    expect(buttonsOf(answer.card)).not.toContain('Approve new date');

    await answer.afterwards!();
    const asked = world.delivery.sent[0]!;
    expect(asked.conversation).toBe(PERSONAL_CHAT(CHAMPION));
    expect(buttonsOf(asked.card)).toEqual(
      expect.arrayContaining(['Approve new date', 'Decline', 'Reassign']),
    );
  });

  it('approve: the proposal becomes the target, and the owner hears', async () => {
    await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    const answer = await world.press(approveDate, CHAMPION, {});
    const action = (await world.action('4.9a')).value;
    expect(action.target).toMatchObject({ date: '2017-09-30', text: '30 September 2017' });
    expect(action.proposedTarget).toBeUndefined();
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      by: CHAMPION,
      field: 'target',
      from: 'End Mar 2017',
      to: '30 September 2017',
    });
    expect(cardText(answer)).toContain('Approved');
    await answer.afterwards!();
    expect(world.delivery.sent.map((s) => s.conversation)).toContain(PERSONAL_CHAT(OWNER));
  });

  it('decline: the target stays, the proposal goes', async () => {
    await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    await world.press(declineDate, ADMIN, {});
    const action = (await world.action('4.9a')).value;
    expect(action.target.text).toBe('End Mar 2017');
    expect(action.proposedTarget).toBeUndefined();
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      by: ADMIN,
      field: 'proposed target',
      from: '30 September 2017',
      to: '',
    });
  });

  it('the owner cannot approve their own proposal; the attempt is noted', async () => {
    await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    const answer = await world.press(approveDate, OWNER, {});
    expect((await world.action('4.9a')).value.proposedTarget).toBeDefined();
    expect((await world.history('4.9a')).at(-1)).toMatchObject({ kind: 'refused', by: OWNER });
    expect(cardText(answer)).toContain(
      'Only the KIM Champion for HMPPS (Priya Champion) or a plan admin',
    );
  });

  it('a second decision finds nothing waiting and shows the action as it is', async () => {
    await world.press(proposeDate, OWNER, { date: '2017-09-30', reason: REASON });
    const card = await world.action('4.9a');
    await world.press(approveDate, CHAMPION, {});
    // The admin pressed on the same card, before the champion's approval landed.
    world.at('2017-06-20T10:00:00.000Z');
    const answer = await world.press(
      declineDate,
      ADMIN,
      {},
      { version: card.version, pressedAt: new Date('2017-06-20T09:59:00Z') },
    );
    expect(cardText(answer)).toContain('No new date is waiting for approval');
    expect((await world.action('4.9a')).value.target.text).toBe('30 September 2017');
  });

  it("a champion's own new date needs nobody's approval", async () => {
    await world.press(proposeDate, CHAMPION, { date: '2017-09-30', reason: REASON });
    expect((await world.action('4.9a')).value.target.text).toBe('30 September 2017');
  });
});
