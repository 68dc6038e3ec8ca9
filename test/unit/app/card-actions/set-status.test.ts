import { setStatus } from '../../../../src/app/card-actions/index.js';
import { MAX_CARD_BYTES } from '../../../../src/ports/card-renderer.js';
import { crowd } from '../../../helpers/bot-world.js';
import {
  CHAMPION,
  ADMIN,
  cardText,
  cardWorld,
  OWNER,
  READER,
  type CardWorld,
} from './card-world.js';

describe('set status from the card', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it('changes the status, with one history entry, and answers with the card as it is now', async () => {
    const before = (await world.history('4.9a')).length;
    const answer = await world.press(setStatus, OWNER, { status: 'blocked' });

    expect((await world.action('4.9a')).value).toMatchObject({
      status: 'blocked',
      updatedBy: OWNER,
    });
    const history = await world.history('4.9a');
    expect(history).toHaveLength(before + 1);
    expect(history.at(-1)).toMatchObject({
      kind: 'changed',
      by: OWNER,
      field: 'status',
      from: 'Not started',
      to: 'Blocked',
    });
    const text = cardText(answer);
    expect(text).toContain('Saved: action 4.9a is now Blocked.');
    expect(text).toContain('Updated by Alex Owner on 20 June 2017');
    // The answer carries the new version, so the next press on it is not stale.
    expect(JSON.stringify(answer.card)).toContain(
      JSON.stringify((await world.action('4.9a')).version),
    );
  });

  it('answers on an action whose card is too big for Teams with what was saved, in words', async () => {
    await crowd(world.deps, '4.9a');
    const answer = await world.press(setStatus, OWNER, { status: 'blocked' });
    expect((await world.action('4.9a')).value.status).toBe('blocked');
    expect(Buffer.byteLength(JSON.stringify(answer.card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(cardText(answer)).toContain('Saved: action 4.9a is now Blocked.');
    expect(cardText(answer)).toContain('too long for one Teams message');
  });

  it('keeps a note given with the status as the latest note, in the same entry', async () => {
    await world.press(setStatus, OWNER, {
      status: 'in_progress',
      statusNote: '  Drafting the policy.  ',
    });
    expect((await world.action('4.9a')).value.note).toBe('Drafting the policy.');
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      field: 'status',
      to: 'In progress',
      note: 'Drafting the policy.',
    });
  });

  it('records pressing the status it already has as a confirmation', async () => {
    await world.press(setStatus, OWNER, { status: 'in_progress' });
    const answer = await world.press(setStatus, OWNER, { status: 'in_progress' });
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      field: 'status',
      from: 'In progress',
      to: 'In progress',
    });
    expect(cardText(answer)).toContain('still In progress');
  });

  it('lets the area champion and an admin change it too', async () => {
    await world.press(setStatus, CHAMPION, { status: 'in_progress' });
    await world.press(setStatus, ADMIN, { status: 'complete' });
    expect((await world.history('4.9a')).slice(-2).map((h) => [h.by, h.to])).toEqual([
      [CHAMPION, 'In progress'],
      [ADMIN, 'Complete'],
    ]);
  });

  it('refuses anyone else: nothing changes, the attempt is in the history, the card says why', async () => {
    const before = await world.action('4.9a');
    const answer = await world.press(setStatus, READER, { status: 'complete' });

    expect(await world.action('4.9a')).toEqual(before);
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      by: READER,
      field: 'status',
      to: 'Complete',
    });
    expect(cardText(answer)).toContain("You can't change action 4.9a");
    expect(cardText(answer)).toContain('Alex Owner');
    expect(cardText(answer)).not.toContain('Mark complete');
  });

  it.each([
    [{ status: 'closed' }, 'is not a status a card can set'],
    [{ status: 'done' }, 'is not a status a card can set'],
    [{ status: 3 }, 'is not a status a card can set'],
    [{}, "didn't say which status"],
    [{ status: 'blocked', statusNote: 42 }, 'should be text'],
    [{ status: 'blocked', statusNote: 'x'.repeat(1001) }, 'at most 1,000'],
  ])('refuses %j with a message and changes nothing', async (data, message) => {
    const before = await world.action('4.9a');
    const historyBefore = await world.history('4.9a');
    const answer = await world.press(setStatus, OWNER, data);
    expect(answer.card).toBeUndefined();
    expect(answer.text).toContain(message);
    expect(await world.action('4.9a')).toEqual(before);
    expect(await world.history('4.9a')).toEqual(historyBefore);
  });
});
