import { setStatus, snooze } from '../../../../src/app/card-actions/index.js';
import {
  buttonsOf,
  cardText,
  cardWorld,
  LATER,
  OWNER,
  READER,
  type CardWorld,
} from './card-world.js';

describe('remind me later', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it.each([
    [{ for: '3d' }, '2017-06-23', '23 June 2017'],
    [{ for: '1w' }, '2017-06-27', '27 June 2017'],
    [{ for: 'date', until: '2017-07-14' }, '2017-07-14', '14 July 2017'],
  ])('%j: no reminders until %s, recorded for the reminder policy', async (data, until, shown) => {
    const answer = await world.press(snooze, OWNER, data);
    expect((await world.action('4.9a')).value.snooze).toEqual({ until, at: LATER, by: OWNER });
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      field: 'snooze',
      from: '',
      to: shown,
    });
    expect(cardText(answer)).toContain(`No reminders about action 4.9a until ${shown}`);
    expect(cardText(answer)).toContain(`Paused until ${shown}`);
  });

  it('asks when, with the choices, for a one-click "remind me later" (a reminder card\'s)', async () => {
    const before = await world.history('4.9a');
    const answer = await world.press(snooze, OWNER, {});
    expect(cardText(answer)).toContain('When should I remind you about action 4.9a again?');
    expect(buttonsOf(answer.card)).toEqual(
      expect.arrayContaining(['In 3 days', 'In a week', 'Remind me then']),
    );
    expect(await world.history('4.9a')).toEqual(before);
  });

  it.each([
    [{ for: 'date' }, 'Choose the day to be reminded on'],
    [{ for: 'date', until: '2017-06-20' }, 'must be 21 June 2017 or later'],
    [{ for: 'date', until: '2017-02-29' }, 'is not a real date'],
    [{ for: 'tomorrow' }, 'is not a time to be reminded a card can set'],
    [{ for: 7 }, 'is not a time to be reminded a card can set'],
  ])('refuses %j with a message', async (data, message) => {
    const answer = await world.press(snooze, OWNER, data);
    expect(answer.text).toContain(message);
    expect((await world.action('4.9a')).value.snooze).toBeUndefined();
  });

  it('does not snooze a done action', async () => {
    await world.press(setStatus, OWNER, { status: 'complete' });
    const answer = await world.press(snooze, OWNER, { for: '3d' });
    expect(cardText(answer)).toContain('there are no reminders to put off');
    expect((await world.action('4.9a')).value.snooze).toBeUndefined();
  });

  it('refuses a reader', async () => {
    await world.press(snooze, READER, { for: '3d' });
    expect((await world.action('4.9a')).value.snooze).toBeUndefined();
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      field: 'snooze',
    });
  });
});
