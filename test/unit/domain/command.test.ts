import { cleanMessage, parseCommand, type Command } from '../../../src/domain/command.js';

const cases = (rows: [string, Command][]) => rows;

describe('parseCommand', () => {
  it.each(
    cases([
      ['help', { kind: 'help' }],
      ['HELP!', { kind: 'help' }],
      ['?', { kind: 'help' }],
      ['what can you do?', { kind: 'help' }],
      ['commands', { kind: 'help' }],
      ['', { kind: 'help' }],
      ['<at>Action Plan</at>', { kind: 'help' }],
      ['<at>Action Plan</at> help', { kind: 'help' }],
    ]),
  )('help: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['my actions', { kind: 'myActions' }],
      ['My Actions.', { kind: 'myActions' }],
      ['show me my actions please', { kind: 'myActions' }],
      ["what's on my action list?", { kind: 'myActions' }],
      ['my tasks', { kind: 'myActions' }],
      ['mine', { kind: 'myActions' }],
      ['what do I own?', { kind: 'myActions' }],
      ['my overdue actions', { kind: 'myActions' }],
      ['<at>Action Plan</at> my actions', { kind: 'myActions' }],
    ]),
  )('my actions: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['Action 4.9A', { kind: 'action', ref: '4.9a' }],
      ['action 4.9a', { kind: 'action', ref: '4.9a' }],
      ['what about 4.9a?', { kind: 'action', ref: '4.9a' }],
      ['show 2.6', { kind: 'action', ref: '2.6' }],
      ['2.6', { kind: 'action', ref: '2.6' }],
      ['Tell me about action 1.10.', { kind: 'action', ref: '1.10' }],
      ['status of 3.5', { kind: 'action', ref: '3.5' }],
      ['who owns 4.9b?', { kind: 'action', ref: '4.9b' }],
      ['<at>Action Plan</at> action 6.7', { kind: 'action', ref: '6.7' }],
      ['(4.9c)', { kind: 'action', ref: '4.9c' }],
    ]),
  )('action: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['status', { kind: 'status' }],
      ['Status?', { kind: 'status' }],
      ["what's the status?", { kind: 'status' }],
      ['status of my areas', { kind: 'status' }],
      ['give me a summary', { kind: 'status' }],
      ['status HMPPS', { kind: 'status', area: 'HMPPS' }],
      ["what's the status of HMPPS?", { kind: 'status', area: 'HMPPS' }],
      ['what’s the status of HMPPS?', { kind: 'status', area: 'HMPPS' }],
      ['HMPPS status', { kind: 'status', area: 'HMPPS' }],
      ["HMPPS's status please", { kind: 'status', area: 'HMPPS' }],
      ['status for MoJ HQ', { kind: 'status', area: 'MoJ HQ' }],
      [
        'status of the Office of the Public Guardian',
        { kind: 'status', area: 'Office of the Public Guardian' },
      ],
      ['how is LAA doing?', { kind: 'status', area: 'LAA' }],
      ['overview of hmcts', { kind: 'status', area: 'hmcts' }],
      ['status all', { kind: 'status', overall: true }],
      ['status of the whole plan', { kind: 'status', overall: true }],
      ['plan status', { kind: 'status', overall: true }],
      ['overall status', { kind: 'status', overall: true }],
      ['<at>Action Plan</at> status HMPPS', { kind: 'status', area: 'HMPPS' }],
      ['Action Plan Bot, status', { kind: 'status' }],
      ['who is the champion for HMPPS?', { kind: 'status', area: 'HMPPS' }],
    ]),
  )('status: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['overdue', { kind: 'overdue' }],
      ["what's overdue?", { kind: 'overdue' }],
      ['Overdue actions', { kind: 'overdue' }],
      ['what is late', { kind: 'overdue' }],
      ['anything past due?', { kind: 'overdue' }],
    ]),
  )('overdue: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['plan', { kind: 'plan' }],
      ['the plan', { kind: 'plan' }],
      ['progress', { kind: 'plan' }],
      ['progress by recommendation', { kind: 'plan' }],
      ['action plan', { kind: 'plan' }],
    ]),
  )('plan: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      [
        'assign 4.9a to ann.smith@justice.gov.uk',
        { kind: 'assign', ref: '4.9a', owners: ['ann.smith@justice.gov.uk'] },
      ],
      [
        'Assign Action 4.9A to Ann.Smith@Justice.gov.uk area HMPPS',
        { kind: 'assign', ref: '4.9a', owners: ['ann.smith@justice.gov.uk'], area: 'HMPPS' },
      ],
      [
        'please assign 2.6 to a@x.gov.uk, b@x.gov.uk in area MoJ HQ.',
        { kind: 'assign', ref: '2.6', owners: ['a@x.gov.uk', 'b@x.gov.uk'], area: 'MoJ HQ' },
      ],
      [
        'assign 1.1 to a@x.gov.uk for LAA thanks',
        { kind: 'assign', ref: '1.1', owners: ['a@x.gov.uk'], area: 'LAA' },
      ],
      [
        '<at>Action Plan</at> assign 3.3 to <a href="mailto:a@x.gov.uk">a@x.gov.uk</a>',
        { kind: 'assign', ref: '3.3', owners: ['a@x.gov.uk'] },
      ],
      ['assign 4.9a', { kind: 'usage', command: 'assign', text: 'assign 4.9a' }],
      ['assign to a@x.gov.uk', { kind: 'usage', command: 'assign', text: 'assign to a@x.gov.uk' }],
      [
        'how do I assign an action?',
        { kind: 'usage', command: 'assign', text: 'how do I assign an action?' },
      ],
    ]),
  )('assign: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      [
        'champion HMPPS ann@justice.gov.uk',
        { kind: 'champion', area: 'HMPPS', emails: ['ann@justice.gov.uk'] },
      ],
      [
        'champion MoJ HQ Ann@Justice.gov.uk',
        { kind: 'champion', area: 'MoJ HQ', emails: ['ann@justice.gov.uk'] },
      ],
      [
        'make ann@justice.gov.uk the KIM champion for Office of the Public Guardian',
        {
          kind: 'champion',
          area: 'Office of the Public Guardian',
          emails: ['ann@justice.gov.uk'],
        },
      ],
      [
        'add ann@justice.gov.uk as LAA champion',
        { kind: 'champion', area: 'LAA', emails: ['ann@justice.gov.uk'] },
      ],
      [
        'champions HMCTS a@x.gov.uk and b@x.gov.uk',
        { kind: 'champion', area: 'HMCTS', emails: ['a@x.gov.uk', 'b@x.gov.uk'] },
      ],
      ['champion HMPPS', { kind: 'usage', command: 'champion', text: 'champion HMPPS' }],
      ['champion a@x.gov.uk', { kind: 'usage', command: 'champion', text: 'champion a@x.gov.uk' }],
    ]),
  )('champion: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each(
    cases([
      ['hi', { kind: 'welcome' }],
      ['Hello there!', { kind: 'welcome' }],
      ['hey bot', { kind: 'welcome' }],
    ]),
  )('greetings: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each([
    ['what is the meaning of life', 'what is the meaning of life'],
    ['please', 'please'],
    ['delete everything', 'delete everything'],
    ['<at>Action Plan</at> make tea', 'make tea'],
    ['  lots   of\tspace ', 'lots of space'],
  ])('unknown: %j, keeping the words as typed (without the mention)', (text, words) => {
    expect(parseCommand(text)).toEqual({ kind: 'unknown', text: words });
  });

  it('keeps the area as typed: matching stored areas is left to the caller', () => {
    expect(parseCommand('status hmpps')).toEqual({ kind: 'status', area: 'hmpps' });
    expect(parseCommand('status Legal Aid Agency')).toEqual({
      kind: 'status',
      area: 'Legal Aid Agency',
    });
  });
});

describe("parseCommand with the plan's areas: a stored area named in the message wins over keywords", () => {
  const areas = [
    'Export Team',
    'Digest Unit',
    'Digital Team',
    'Progress',
    'HMPPS',
    'MoJ HQ',
    'Digital',
  ];
  const read = (text: string) => parseCommand(text, { areas });

  it.each(
    cases([
      ['status Export Team', { kind: 'status', area: 'Export Team' }],
      ['status Digest Unit', { kind: 'status', area: 'Digest Unit' }],
      ['status Digital Team', { kind: 'status', area: 'Digital Team' }],
      ['status Progress', { kind: 'status', area: 'Progress' }],
      ["what's the status of the export team?", { kind: 'status', area: 'Export Team' }],
      ['Digest Unit', { kind: 'status', area: 'Digest Unit' }],
      ['export team please', { kind: 'status', area: 'Export Team' }],
      ['progress of Digital Team', { kind: 'status', area: 'Digital Team' }],
      ['status moj-hq', { kind: 'status', area: 'MoJ HQ' }],
      ['status Digital', { kind: 'status', area: 'Digital' }],
      ['status all', { kind: 'status', overall: true }],
    ]),
  )('%j', (text, expected) => expect(read(text)).toEqual(expected));

  it.each(
    cases([
      [
        'champion MoJ-HQ ann@x.gov.uk',
        { kind: 'champion', area: 'MoJ HQ', emails: ['ann@x.gov.uk'] },
      ],
      [
        'champion Export Team ann@x.gov.uk',
        { kind: 'champion', area: 'Export Team', emails: ['ann@x.gov.uk'] },
      ],
      [
        'assign 4.9a to ann@x.gov.uk area digest unit',
        { kind: 'assign', ref: '4.9a', owners: ['ann@x.gov.uk'], area: 'Digest Unit' },
      ],
      ['who is the champion for export team?', { kind: 'status', area: 'Export Team' }],
    ]),
  )('the admin commands take the area as stored: %j', (text, expected) =>
    expect(read(text)).toEqual(expected),
  );

  it.each(
    cases([
      ['export', { kind: 'export', format: 'docx' }],
      ['export excel', { kind: 'export', format: 'xlsx' }],
      ['digest preview', { kind: 'digestPreview' }],
      ['subscribe digest', { kind: 'subscribeDigest' }],
      ['plan', { kind: 'plan' }],
      ['progress', { kind: 'status', area: 'Progress' }],
      ['overdue in HMPPS', { kind: 'overdue' }],
      ['action 4.9a', { kind: 'action', ref: '4.9a' }],
      ['my actions', { kind: 'myActions' }],
      ['status', { kind: 'status' }],
      [
        'assign 4.9a to hmpps.lead@x.gov.uk',
        { kind: 'assign', ref: '4.9a', owners: ['hmpps.lead@x.gov.uk'] },
      ],
    ]),
  )('messages that name no area mean what they always did: %j', (text, expected) =>
    expect(read(text)).toEqual(expected),
  );

  it.each(
    cases([
      ['who can you reach?', { kind: 'reach' }],
      ["Who can't you reach", { kind: 'reach' }],
      ['<at>Action Plan</at> who can you reach', { kind: 'reach' }],
      ['unreachable owners', { kind: 'reach' }],
      ['is everyone reachable?', { kind: 'reach' }],
    ]),
  )('who can you reach: %j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it('an area named Reach is that area, not the question', () => {
    expect(parseCommand('status Reach Unit', { areas: ['Reach Unit'] })).toEqual({
      kind: 'status',
      area: 'Reach Unit',
    });
  });

  it('without the areas, the words are keywords as before', () => {
    expect(parseCommand('status Export Team')).toEqual({ kind: 'export', format: 'docx' });
    expect(parseCommand('status Digest Unit')).toEqual({ kind: 'digestPreview' });
  });
});

describe('cleanMessage', () => {
  it('removes mentions anywhere, formatting tags, entities and odd spaces', () => {
    expect(cleanMessage('<p>Hi <at>Action Plan</at>,&nbsp;status&amp;more</p>')).toBe(
      'Hi , status&more',
    );
  });

  it('keeps text in angle brackets that is not a tag', () => {
    expect(cleanMessage('assign 1.1 to <ann@x.gov.uk>')).toBe('assign 1.1 to <ann@x.gov.uk>');
  });
});
