import { assignAction } from '../../../../src/app/assign-action.js';
import { notMine, reassign, snooze } from '../../../../src/app/card-actions/index.js';
import { MOJ_PLAN_ID } from '../../../helpers/bot-world.js';
import {
  ADMIN,
  buttonsOf,
  CHAMPION,
  cardText,
  cardWorld,
  OWNER,
  PERSONAL_CHAT,
  READER,
  UNREACHED,
  type CardWorld,
} from './card-world.js';

describe("this isn't mine", () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it('notes it in the history, changes nothing else, and gives the champion the reason and Reassign', async () => {
    const before = await world.action('4.9a');
    const answer = await world.press(notMine, OWNER, {
      notMineReason: 'It is the LAA records team’s',
    });
    expect(await world.action('4.9a')).toEqual(before);
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'changed',
      by: OWNER,
      field: 'not mine',
      note: 'It is the LAA records team’s',
    });
    expect(cardText(answer)).toContain("I've told Priya Champion (the KIM Champion for HMPPS)");

    await answer.afterwards!();
    const told = world.delivery.sent.find((s) => s.conversation === PERSONAL_CHAT(CHAMPION))!;
    expect(JSON.stringify(told.card)).toContain('Alex Owner says action 4.9a isn');
    expect(JSON.stringify(told.card)).toContain('LAA records team');
    expect(buttonsOf(told.card)).toContain('Reassign');
  });

  it('asks for the reason when the press has none', async () => {
    const answer = await world.press(notMine, OWNER, {});
    expect(cardText(answer)).toContain("Tell me why action 4.9a isn't yours");
    expect((await world.history('4.9a')).at(-1)?.field).not.toBe('not mine');
  });

  it('goes to the plan admins when the area has no champion', async () => {
    // 1.1 has an owner but no area, so no champion.
    await assignAction(world.deps, { planId: MOJ_PLAN_ID, ref: '1.1', owners: [OWNER], by: ADMIN });
    const answer = await world.press(notMine, OWNER, { notMineReason: 'Not mine' }, { ref: '1.1' });
    await answer.afterwards!();
    expect(world.delivery.sent.map((s) => s.conversation)).toEqual([PERSONAL_CHAT(ADMIN)]);
  });

  it('only an owner can say so', async () => {
    const answer = await world.press(notMine, CHAMPION, { notMineReason: 'x' });
    expect(cardText(answer)).toContain('You can reassign it instead');
    expect((await world.history('4.9a')).at(-1)).toMatchObject({ kind: 'refused', by: CHAMPION });
  });
});

describe('reassign', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it("gives the action new owners, drops the old owner's snooze, and tells the new owner", async () => {
    await world.press(snooze, OWNER, { for: '1w' });
    const answer = await world.press(reassign, CHAMPION, {
      newOwners: ' Jo.Reader@justice.gov.uk; ',
    });
    const action = (await world.action('4.9a')).value;
    expect(action.owners).toEqual([READER]);
    expect(action.snooze).toBeUndefined();
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      by: CHAMPION,
      field: 'owners',
      from: OWNER,
      to: READER,
    });
    expect(cardText(answer)).toContain('Action 4.9a is now owned by Jo Reader.');
    await answer.afterwards!();
    expect(world.delivery.sent.map((s) => s.conversation)).toEqual([PERSONAL_CHAT(READER)]);
  });

  it('warns about a new owner the bot cannot reach yet', async () => {
    const answer = await world.press(reassign, ADMIN, { newOwners: UNREACHED });
    expect(cardText(answer)).toContain("hasn't installed the bot yet");
  });

  it.each([
    [{}, "Give the new owner's email address"],
    [{ newOwners: 'Jo Reader' }, 'is not one'],
    [{ newOwners: { email: READER } }, 'should be text'],
  ])('refuses %j with a message', async (data, message) => {
    const answer = await world.press(reassign, CHAMPION, data);
    expect(answer.text).toContain(message);
    expect((await world.action('4.9a')).value.owners).toEqual([OWNER]);
  });

  it('an owner cannot give their action away', async () => {
    await world.press(reassign, OWNER, { newOwners: READER });
    expect((await world.action('4.9a')).value.owners).toEqual([OWNER]);
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      field: 'owners',
    });
  });
});
