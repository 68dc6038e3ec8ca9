import { areaKey, findArea, hasAreaKey, sameArea } from '../../../src/domain/area-name.js';

describe('the same area', () => {
  it.each([
    ['MoJ HQ', 'moj hq'],
    ['MoJ HQ', 'MoJ-HQ'],
    ['MoJ HQ', 'MOJHQ.'],
    ['MoJ HQ', '  MoJ   HQ '],
    ['HMPPS', 'H.M.P.P.S.'],
    ['Legal Aid Agency', 'legal-aid agency'],
    ['ＨＱ', 'hq'],
  ])('%j is %j', (a, b) => expect(sameArea(a, b)).toBe(true));

  it.each([
    ['MoJ HQ', 'MoJ HQ 2'],
    ['Área Norte', 'Area Norte'],
    ['Digital', 'Digital Team'],
  ])('%j is not %j', (a, b) => expect(sameArea(a, b)).toBe(false));

  it('no area is the same as another: an action without one has no champions', () => {
    expect(sameArea(undefined, undefined)).toBe(false);
    expect(sameArea('HMPPS', undefined)).toBe(false);
  });

  it('keys an area by its letters and digits, lower-cased', () => {
    expect(areaKey('MoJ-HQ (London) #2')).toBe('mojhqlondon2');
    expect(hasAreaKey('---')).toBe(false);
    expect(hasAreaKey('2')).toBe(true);
  });

  it('finds the area as it was stored', () => {
    const stored = [{ name: 'HMPPS' }, { name: 'MoJ HQ' }];
    expect(findArea(stored, 'moj-hq', (a) => a.name)).toEqual({ name: 'MoJ HQ' });
    expect(findArea(stored, 'LAA', (a) => a.name)).toBeUndefined();
  });
});
