import { readActionRow } from '../../../src/domain/action-row';

const cells = {
  ref: '4.9a',
  text: 'Tidy the drives',
  priority: 'Med',
  target: 'End Mar 2017',
  status: '',
};

describe('readActionRow', () => {
  it('reads several owners from one cell, lower-cased and without repeats', () => {
    const r = readActionRow(
      { ...cells, owner: 'Ann@Justice.gov.uk; bob@justice.gov.uk, ann@justice.gov.uk' },
      { line: 3 },
    );
    expect(r.errors).toEqual([]);
    expect(r.action?.owners).toEqual(['ann@justice.gov.uk', 'bob@justice.gov.uk']);
  });

  it('refuses an owner that is not an email address, naming it', () => {
    const r = readActionRow({ ...cells, owner: 'ann@justice.gov.uk; Bob Smith' }, { line: 3 });
    expect(r.action).toBeUndefined();
    expect(r.errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: 'Owner',
        message: expect.stringContaining('"Bob Smith"'),
      }),
    ]);
  });

  it('collects every problem in a row at once', () => {
    const r = readActionRow(
      { ref: 'x', text: '', priority: 'Urgent', target: 'soon', status: 'Amber' },
      { line: 9 },
    );
    expect(r.errors.map((e) => e.column)).toEqual(['Ref', 'Action', 'Priority', 'Status']);
    expect(r.warnings.map((w) => w.column)).toEqual(['Target date']);
  });
});
