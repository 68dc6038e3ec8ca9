import { addNote } from '../../../../src/app/card-actions/index.js';
import { cardText, cardWorld, OWNER, READER, type CardWorld } from './card-world.js';

describe('add a note from the card', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  it('saves the note, trimmed, as the latest note with one history entry', async () => {
    const answer = await world.press(addNote, OWNER, {
      note: '\n  Met the SIRO; sign-off next week.  \n',
    });
    expect((await world.action('4.9a')).value.note).toBe('Met the SIRO; sign-off next week.');
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'changed',
      by: OWNER,
      field: 'note',
      from: '',
      to: 'Met the SIRO; sign-off next week.',
    });
    expect(cardText(answer)).toContain('Saved your note on action 4.9a.');
    expect(cardText(answer)).toContain('Met the SIRO; sign-off next week.');
  });

  it('keeps markdown links and template expressions as typed, and shows them inert', async () => {
    const note = 'See [the policy](http://evil.example) and ${$root.secret} <at>Bob</at>';
    const answer = await world.press(addNote, OWNER, { note });
    expect((await world.action('4.9a')).value.note).toBe(note);
    const json = JSON.stringify(answer.card);
    expect(json).not.toContain('${');
    expect(json).not.toContain('](http');
    expect(json).not.toContain('<at>');
    // Only zero-width spaces were added: people read what was typed.
    expect(cardText(answer)).toContain(note);
  });

  it.each([
    [{}, 'Write the note first'],
    [{ note: '   ' }, 'Write the note first'],
    [{ note: ['a list'] }, 'should be text'],
    [{ note: 'x'.repeat(100 * 1024) }, '102,400 characters long; it can be at most 1,000'],
  ])('refuses %#: a message, nothing saved', async (data, message) => {
    const historyBefore = await world.history('4.9a');
    const answer = await world.press(addNote, OWNER, data);
    expect(answer.text).toContain(message);
    expect(await world.history('4.9a')).toEqual(historyBefore);
  });

  it('takes exactly 1,000 characters', async () => {
    await world.press(addNote, OWNER, { note: 'y'.repeat(1000) });
    expect((await world.action('4.9a')).value.note).toHaveLength(1000);
  });

  it('refuses a reader, noting the attempt but not the note', async () => {
    const answer = await world.press(addNote, READER, { note: 'Not my place' });
    expect((await world.action('4.9a')).value.note).toBeUndefined();
    const entry = (await world.history('4.9a')).at(-1);
    expect(entry).toMatchObject({ kind: 'refused', by: READER, field: 'note' });
    expect(JSON.stringify(entry)).not.toContain('Not my place');
    expect(JSON.stringify(answer)).not.toContain('Not my place');
  });
});
