import { answerMessage } from '../../../src/app/answer-command.js';
import type { BotDeps } from '../../../src/app/bot-deps.js';
import type { BotReply } from '../../../src/app/bot-reply.js';
import { exportForPerson } from '../../../src/app/export-plan.js';
import { writeProgressUpdate } from '../../../src/documents/export/write-progress-update.js';
import { parseCommand } from '../../../src/domain/command.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import type { ConversationScope } from '../../../src/ports/card-renderer.js';
import {
  ADMIN,
  CHAMPION,
  MOJ_PLAN_ID,
  mojWorld,
  OWNER,
  READER,
  textOf,
} from '../../helpers/bot-world.js';

/** `export` in Teams: the file offered in a personal chat, the summary and the command elsewhere. */

let deps: BotDeps;
beforeEach(async () => {
  deps = { ...(await mojWorld()), writeProgressUpdate };
});

const ask = (
  email: string,
  text: string,
  scope: ConversationScope = 'personal',
): Promise<BotReply> => answerMessage(deps, { actor: { email }, text, scope });

describe('parseCommand: export', () => {
  it.each([
    ['export', { kind: 'export', format: 'docx' }],
    ['Export please', { kind: 'export', format: 'docx' }],
    ['export excel', { kind: 'export', format: 'xlsx' }],
    ['@Action Plan export the plan as CSV', { kind: 'export', format: 'csv' }],
    ['export word november 2026', { kind: 'export', format: 'docx', label: 'November 2026' }],
    ['export xlsx for May 2027', { kind: 'export', format: 'xlsx', label: 'May 2027' }],
  ])('reads %j', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });
});

describe('export in a personal chat', () => {
  it('offers an admin the Word file, with the update summed up on the card', async () => {
    const reply = await ask(ADMIN, 'export');
    // 20 June 2017 in the bot world: the label is the current month.
    expect(reply.file).toEqual({
      name: `${MOJ_PLAN_ID}-progress-update-june-2017.docx`,
      sizeInBytes: expect.any(Number),
      description: 'Ministry of Justice IMA Action Plan – Progress update – June 2017 (Word)',
      request: {
        planId: MOJ_PLAN_ID,
        format: 'docx',
        label: 'June 2017',
        asOf: '2017-06-20T09:00:00.000Z',
      },
    });
    expect(reply.file!.sizeInBytes).toBeGreaterThan(5000);
    const text = textOf(reply);
    expect(text).toContain('Progress update – June 2017');
    expect(text).toMatch(/Ministry of Justice IMA Action Plan: 42 actions: .*% done\)/);
    expect(text).toContain('Recommendation 4: ');
    expect(text).toContain('Accept the Word file below');
  });

  it('offers a KIM Champion the file too, in the format and month asked for', async () => {
    const reply = await ask(CHAMPION, 'export excel December 2017');
    expect(reply.file?.name).toBe(`${MOJ_PLAN_ID}-progress-update-december-2017.xlsx`);
    expect(reply.file?.request).toMatchObject({ format: 'xlsx', label: 'December 2017' });
  });

  it.each([
    ['an owner', OWNER],
    ['a reader', READER],
  ])('refuses %s, politely, with no file', async (_who, email) => {
    const reply = await ask(email, 'export');
    expect(reply.file).toBeUndefined();
    expect(textOf(reply)).toContain(
      'Only a plan admin or a KIM Champion can export the progress update',
    );
  });

  it('gives the command line instead when the bot cannot make files', async () => {
    const { writeProgressUpdate: _w, ...without } = deps;
    const reply = await answerMessage(without, {
      actor: { email: ADMIN },
      text: 'export',
      scope: 'personal',
    });
    expect(reply.file).toBeUndefined();
    expect(textOf(reply)).toContain(
      `npx actionplan export --plan ${MOJ_PLAN_ID} --format docx --label "June 2017" --out ${MOJ_PLAN_ID}-progress-update-june-2017.docx`,
    );
  });
});

describe('export in a group chat or channel', () => {
  it.each(['groupChat', 'channel'] as const)(
    'answers in a %s with the summary, where to get the file, and the command, never a file',
    async (scope) => {
      const reply = await ask(CHAMPION, 'export csv', scope);
      expect(reply.file).toBeUndefined();
      const text = textOf(reply);
      expect(text).toContain('Progress update – June 2017');
      expect(text).toContain('Teams lets me send files only in a personal chat');
      expect(text).toContain(`--format csv --label "June 2017"`);
    },
  );
});

describe('exportForPerson (the file made again when the offer is accepted)', () => {
  const request = {
    planId: MOJ_PLAN_ID,
    format: 'docx' as const,
    label: 'June 2017',
    asOf: '2017-06-20T09:00:00.000Z',
  };

  it('makes the same file that was offered', async () => {
    const offered = (await ask(ADMIN, 'export')).file!;
    const made = await exportForPerson(deps, { email: ADMIN }, offered.request);
    expect(made.fileName).toBe(offered.name);
    expect(made.bytes.length).toBeGreaterThan(5000);
    expect(made.label).toBe('June 2017');
  });

  it('checks the role again: an owner who accepts an offer gets nothing', async () => {
    const e = await exportForPerson(deps, { email: OWNER }, request).catch((x: unknown) => x);
    expect(isActionPlanError(e, 'forbidden')).toBe(true);
  });

  it('knows a champion by their Entra id when Teams gives no email', async () => {
    await deps.people.savePerson({
      ...(await deps.people.getByEmail(CHAMPION))!.value,
      aadObjectId: 'aad-priya',
    });
    const made = await exportForPerson(deps, { aadObjectId: 'aad-priya' }, request);
    expect(made.format).toBe('docx');
  });
});
