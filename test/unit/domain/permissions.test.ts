import {
  canChangeAction,
  canManagePlan,
  isAdmin,
  joinList,
  mainRole,
  roleSummary,
  rolesOf,
  type RoleFacts,
} from '../../../src/domain/permissions.js';
import { anAction } from '../../helpers/builders.js';

const ANN = 'ann.champion@justice.gov.uk';
const BOB = 'bob.owner@justice.gov.uk';

const facts = (over: Partial<RoleFacts> = {}): RoleFacts => ({
  adminEmails: ['Kim.Admin@Justice.gov.uk'],
  areas: [
    { name: 'HMPPS', champions: [ANN] },
    { name: 'LAA', champions: [ANN, 'other@justice.gov.uk'] },
    { name: 'MoJ HQ', champions: ['other@justice.gov.uk'] },
  ],
  actions: [
    anAction({ ref: '4.9a', owners: [BOB] }),
    anAction({ ref: '1.2', owners: [BOB, ANN] }),
    anAction({ ref: '4.10', owners: [BOB] }),
    anAction({ ref: '2.1', owners: [] }),
  ],
  ...over,
});

describe('rolesOf', () => {
  it('an admin from ADMIN_EMAILS, whatever the case of either', () => {
    const roles = rolesOf(facts({ email: 'KIM.ADMIN@justice.gov.uk' }));
    expect(roles).toEqual({
      email: 'kim.admin@justice.gov.uk',
      addresses: ['kim.admin@justice.gov.uk'],
      admin: true,
      championOf: [],
      owns: [],
    });
    expect(mainRole(roles)).toBe('admin');
    expect(canManagePlan(roles)).toBe(true);
  });

  it('an admin from storage (a Person with admin: true)', () => {
    const roles = rolesOf(facts({ email: BOB, storedAdmin: true }));
    expect(roles.admin).toBe(true);
    expect(roles.owns).toEqual(['1.2', '4.9a', '4.10']);
  });

  it('a champion of every area that lists them, and owner of the actions that list them', () => {
    const roles = rolesOf(facts({ email: ANN }));
    expect(roles.championOf).toEqual(['HMPPS', 'LAA']);
    expect(roles.owns).toEqual(['1.2']);
    expect(roles.admin).toBe(false);
    expect(mainRole(roles)).toBe('champion');
    expect(canManagePlan(roles)).toBe(false);
  });

  it('an owner, with refs in natural order (4.9a before 4.10)', () => {
    const roles = rolesOf(facts({ email: BOB }));
    expect(roles.owns).toEqual(['1.2', '4.9a', '4.10']);
    expect(mainRole(roles)).toBe('owner');
  });

  it('a reader: in the tenant, but nothing in the plan', () => {
    const roles = rolesOf(facts({ email: 'someone@justice.gov.uk' }));
    expect(mainRole(roles)).toBe('reader');
  });

  it('without an email, a reader, even if ADMIN_EMAILS is empty-ish', () => {
    const roles = rolesOf(facts({ adminEmails: [''] }));
    expect(roles).toEqual({ addresses: [], admin: false, championOf: [], owns: [] });
    expect(mainRole(roles)).toBe('reader');
  });

  it('owner and champion by their UPN too, when the plan names them by it', () => {
    const roles = rolesOf(facts({ email: 'bob@justice.onmicrosoft.com', otherAddresses: [BOB] }));
    expect(roles.owns).toEqual(['1.2', '4.9a', '4.10']);
    expect(canChangeAction(roles, anAction({ owners: ['Bob.Owner@Justice.gov.uk'] }))).toBe(true);
  });

  it('an account kept apart has no roles at all, whatever its email', () => {
    const roles = rolesOf(
      facts({ email: 'kim.admin@justice.gov.uk', storedAdmin: true, keptApart: true }),
    );
    expect(roles).toEqual({
      addresses: [],
      admin: false,
      championOf: [],
      owns: [],
      keptApart: true,
    });
    expect(roleSummary(roles)).toContain('already belongs to another Teams account');
  });
});

describe('isAdmin', () => {
  const admin = (over: Partial<Parameters<typeof isAdmin>[0]>) =>
    isAdmin({ addresses: ['a@x.gov.uk'], adminEmails: ['a@x.gov.uk'], ...over });
  it('needs an address', () => expect(admin({ addresses: [], storedAdmin: true })).toBe(false));
  it('matches configured admins regardless of case and spaces', () =>
    expect(admin({ addresses: [' A@X.gov.uk '] })).toBe(true));
  it('by any of their addresses', () =>
    expect(admin({ addresses: ['b@x.gov.uk', 'a@x.gov.uk'] })).toBe(true));
  it('or a stored admin', () =>
    expect(admin({ addresses: ['b@x.gov.uk'], storedAdmin: true })).toBe(true));
  it('and nobody else', () => expect(admin({ addresses: ['b@x.gov.uk'] })).toBe(false));

  describe('ADMIN_EMAILS and tenants', () => {
    const allowed = [
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    ];
    it('makes admins of accounts in the tenants the bot answers, whatever the case', () =>
      expect(
        admin({ allowedTenantIds: allowed, tenantId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47' }),
      ).toBe(true));
    it('not of an account in another tenant with the same address', () =>
      expect(
        admin({ allowedTenantIds: allowed, tenantId: '00000000-0000-0000-0000-000000000009' }),
      ).toBe(false));
    it('not of an account whose tenant is not known, while the list names tenants', () =>
      expect(admin({ allowedTenantIds: allowed })).toBe(false));
    it('of any tenant when the bot answers any (no list: a local run)', () =>
      expect(
        admin({ allowedTenantIds: [], tenantId: '00000000-0000-0000-0000-000000000009' }),
      ).toBe(true));
    it('a stored admin stays one: the flag belongs to that account', () =>
      expect(
        admin({ addresses: ['b@x.gov.uk'], storedAdmin: true, allowedTenantIds: allowed }),
      ).toBe(true));
  });
});

describe('canChangeAction', () => {
  const action = anAction({ ref: '4.9a', owners: [BOB], area: 'hmpps' });
  it('an admin may change any action', () =>
    expect(canChangeAction(rolesOf(facts({ email: 'kim.admin@justice.gov.uk' })), action)).toBe(
      true,
    ));
  it('an owner may change their own', () =>
    expect(canChangeAction(rolesOf(facts({ email: BOB })), action)).toBe(true));
  it("the area's champion may (area names compare regardless of case)", () =>
    expect(canChangeAction(rolesOf(facts({ email: ANN })), action)).toBe(true));
  it('a champion of another area may not', () =>
    expect(canChangeAction(rolesOf(facts({ email: ANN })), { ...action, area: 'MoJ HQ' })).toBe(
      false,
    ));
  it('a reader may not', () =>
    expect(canChangeAction(rolesOf(facts({ email: 'x@justice.gov.uk' })), action)).toBe(false));
});

describe('roleSummary', () => {
  const summary = (over: Partial<RoleFacts>) => roleSummary(rolesOf(facts(over)));

  it('a champion who owns actions: the sentence of the welcome card', () => {
    const roles = {
      email: ANN,
      addresses: [ANN],
      admin: false,
      championOf: ['HMPPS'],
      owns: ['1.1', '1.2', '1.3'],
    };
    expect(roleSummary(roles)).toBe('You are the KIM Champion for HMPPS and own 3 actions.');
  });

  it('a champion of two areas who owns one action', () =>
    expect(summary({ email: ANN })).toBe(
      'You are the KIM Champion for HMPPS and LAA and own 1 action.',
    ));

  it('an admin who is also a champion and owner', () =>
    expect(
      summary({
        email: ANN,
        adminEmails: [ANN],
      }),
    ).toBe('You are a plan admin and the KIM Champion for HMPPS and LAA, and own 1 action.'));

  it('an admin only', () =>
    expect(summary({ email: 'kim.admin@justice.gov.uk' })).toBe('You are a plan admin.'));

  it('an owner only', () => expect(summary({ email: BOB })).toBe('You own 3 actions.'));

  it('a reader', () =>
    expect(summary({ email: 'x@justice.gov.uk' })).toBe(
      "You don't own any actions yet; you can read the plan's summaries.",
    ));

  it('someone whose email Teams did not give', () =>
    expect(summary({})).toMatch(/^I can't see your email address/));
});

describe('joinList', () => {
  it.each([
    [[], ''],
    [['HMPPS'], 'HMPPS'],
    [['HMPPS', 'LAA'], 'HMPPS and LAA'],
    [['HMCTS', 'HMPPS', 'LAA'], 'HMCTS, HMPPS and LAA'],
  ])('%j → %j (no serial comma)', (items, text) => expect(joinList(items)).toBe(text));
});
