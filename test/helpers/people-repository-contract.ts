import { isActionPlanError } from '../../src/domain/errors.js';
import {
  onePerson,
  type InstalledConversation,
  type PeopleRepository,
  type Person,
} from '../../src/ports/people-repository.js';

/**
 * The behaviour every PeopleRepository must have, run against the in-memory adapter and the
 * Azurite-backed one, so that tests of the Teams edge on the in-memory one prove something about
 * production. `makeRepository` must return an empty repository each time it is called.
 */
export function peopleRepositoryContract(makeRepository: () => Promise<PeopleRepository>): void {
  let repo: PeopleRepository;
  beforeEach(async () => {
    repo = await makeRepository();
  });

  describe('people', () => {
    it('stores a person and reads them back by email, in any case, and by Entra object id', async () => {
      const person = aPerson({ admin: true, unreachableReason: undefined });
      await repo.savePerson(person, null);

      expect((await repo.getByEmail(person.email))?.value).toEqual(person);
      expect((await repo.getByEmail('  Sam.Owner@Justice.GOV.uk '))?.value).toEqual(person);
      expect((await repo.getByAadObjectId(person.aadObjectId!))?.value).toEqual(person);
    });

    it('keeps the email lower-cased, however it was given', async () => {
      await repo.savePerson(aPerson({ email: 'Kim.Champion@Justice.gov.UK' }));
      const stored = await repo.getByEmail('kim.champion@justice.gov.uk');
      expect(stored?.value.email).toBe('kim.champion@justice.gov.uk');
    });

    it('stores a person named by an admin, with nothing but an email, a name and a state', async () => {
      const named: Person = {
        email: 'new.owner@justice.gov.uk',
        name: 'New Owner',
        reachable: false,
        unreachableReason: 'They have not installed the bot yet.',
        updatedAt: '2025-03-01T09:00:00.000Z',
      };
      await repo.savePerson(named, null);
      expect((await repo.getByEmail(named.email))?.value).toEqual(named);
    });

    it('answers undefined or an empty list for what is not there', async () => {
      expect(await repo.getByEmail('nobody@example.org')).toBeUndefined();
      expect(await repo.getByAadObjectId('00000000-0000-0000-0000-000000000000')).toBeUndefined();
      expect(await repo.listPeople()).toEqual([]);
      await repo.savePerson(aPerson());
      expect(await repo.getByAadObjectId('11111111-1111-1111-1111-111111111111')).toBeUndefined();
    });

    it('lists everyone in email order, each with the version a read gives', async () => {
      for (const email of ['c@example.org', 'a@example.org', 'b@example.org']) {
        await repo.savePerson(aPerson({ email, aadObjectId: undefined }));
      }
      const people = await repo.listPeople();
      expect(people.map((p) => p.value.email)).toEqual([
        'a@example.org',
        'b@example.org',
        'c@example.org',
      ]);
      for (const p of people)
        expect(p.version).toBe((await repo.getByEmail(p.value.email))?.version);
    });

    it('round-trips emails with characters keys cannot hold', async () => {
      const emails = [
        'o’brien/kim#1@example.org',
        'per%cent?@example.org',
        'back\\slash@example.org',
      ];
      for (const email of emails) await repo.savePerson(aPerson({ email, aadObjectId: undefined }));
      expect((await repo.listPeople()).map((p) => p.value.email).sort()).toEqual(
        [...emails].sort(),
      );
      for (const email of emails) expect((await repo.getByEmail(email))?.value.email).toBe(email);
    });
  });

  describe('versions and conflicts', () => {
    it('gives a version, and a new one on every write', async () => {
      await repo.savePerson(aPerson(), null);
      const first = await repo.getByEmail(EMAIL);
      expect(first?.version).toEqual(expect.any(String));
      expect(first?.version).not.toBe('');
      await repo.savePerson({ ...first!.value, name: 'Sam O.' }, first!.version);
      const second = await repo.getByEmail(EMAIL);
      expect(second?.version).not.toBe(first?.version);
      expect(second?.value.name).toBe('Sam O.');
    });

    it('refuses to create someone already known', async () => {
      await repo.savePerson(aPerson(), null);
      const error = await repo
        .savePerson(aPerson({ name: 'Other' }), null)
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect((error as Error).message).toBe(
        `${EMAIL} is already known; read them again and retry.`,
      );
      expect((await repo.getByEmail(EMAIL))?.value.name).toBe('Sam Owner');
    });

    it('refuses a stale version, writing nothing', async () => {
      await repo.savePerson(aPerson(), null);
      const read = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...read!.value, name: 'First writer' }, read!.version);
      const error = await repo
        .savePerson({ ...read!.value, name: 'Second writer' }, read!.version)
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect((error as Error).message).toBe(
        `${EMAIL} was changed by someone else; read them again and retry.`,
      );
      expect((await repo.getByEmail(EMAIL))?.value.name).toBe('First writer');
    });

    it('refuses a conditional update of someone not stored', async () => {
      await repo.savePerson(aPerson(), null);
      const version = (await repo.getByEmail(EMAIL))!.version;
      const error = await repo
        .savePerson(
          aPerson({ email: 'someone.else@example.org', aadObjectId: 'aad-else' }),
          version,
        )
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect(await repo.getByEmail('someone.else@example.org')).toBeUndefined();
    });

    it('replaces the whole record on an upsert, so a cleared field is gone', async () => {
      await repo.savePerson(
        aPerson({ reachable: false, unreachableReason: 'They uninstalled the app.', admin: true }),
      );
      const { unreachableReason: _reason, admin: _admin, ...rest } = aPerson();
      await repo.savePerson({ ...rest, reachable: true });
      const stored = await repo.getByEmail(EMAIL);
      expect(stored?.value).toEqual({ ...rest, reachable: true });
      expect(stored?.value).not.toHaveProperty('unreachableReason');
      expect(stored?.value).not.toHaveProperty('admin');
    });

    it('lets exactly one of two writers with the same version win', async () => {
      await repo.savePerson(aPerson(), null);
      const read = await repo.getByEmail(EMAIL);
      const results = await Promise.allSettled([
        repo.savePerson({ ...read!.value, name: 'A' }, read!.version),
        repo.savePerson({ ...read!.value, name: 'B' }, read!.version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(isActionPlanError(rejected?.reason, 'conflict')).toBe(true);
    });
  });

  describe('forgetting people', () => {
    it('removes a person with their index entries, and is no error for someone not known', async () => {
      await repo.savePerson(aPerson({ upn: 'sam.o@justice.gov.uk' }));
      await repo.savePerson(aPerson({ email: 'kept@justice.gov.uk', aadObjectId: 'kept' }));
      await repo.removePerson(aPerson());
      await repo.removePerson(aPerson());
      await repo.removePerson({ email: 'never.known@justice.gov.uk' });
      expect(await repo.getByEmail(EMAIL)).toBeUndefined();
      expect(await repo.getByEmail('sam.o@justice.gov.uk')).toBeUndefined();
      expect(await repo.getByAadObjectId('aad-sam-0001')).toBeUndefined();
      expect((await repo.listPeople()).map((p) => p.value.email)).toEqual(['kept@justice.gov.uk']);
    });

    it('removes a person known only by email by that email, in any case', async () => {
      await repo.savePerson(aPerson({ aadObjectId: undefined, tenantId: undefined }));
      await repo.removePerson({ email: 'Sam.Owner@Justice.gov.uk' });
      expect(await repo.findByEmail(EMAIL)).toEqual({ kind: 'none' });
      expect(await repo.listPeople()).toEqual([]);
    });
  });

  describe('identity and the address index', () => {
    it('keys a person by their account: a new email moves the index with them', async () => {
      await repo.savePerson(aPerson(), null);
      const read = await repo.getByAadObjectId('aad-sam-0001');
      await repo.savePerson({ ...read!.value, email: 'sam.new@justice.gov.uk' }, read!.version);

      expect(await repo.getByEmail(EMAIL)).toBeUndefined();
      expect((await repo.getByEmail('sam.new@justice.gov.uk'))?.value.aadObjectId).toBe(
        'aad-sam-0001',
      );
      expect((await repo.getByAadObjectId('aad-sam-0001'))?.value.email).toBe(
        'sam.new@justice.gov.uk',
      );
      expect(await repo.listPeople()).toHaveLength(1);
    });

    it('keeps the index on the person through a rename', async () => {
      await repo.savePerson(aPerson(), null);
      const read = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...read!.value, name: 'Samantha Owner' }, read!.version);
      const found = await repo.findByEmail(EMAIL);
      expect(found).toMatchObject({ kind: 'one', person: { value: { name: 'Samantha Owner' } } });
      expect((await repo.getByAadObjectId('aad-sam-0001'))?.value.name).toBe('Samantha Owner');
    });

    it('leads an address given up and taken by someone else to them, never to who had it', async () => {
      await repo.savePerson(aPerson(), null);
      const sam = await repo.getByAadObjectId('aad-sam-0001');
      await repo.savePerson({ ...sam!.value, email: 'sam.new@justice.gov.uk' }, sam!.version);
      const kim = aPerson({ aadObjectId: 'aad-kim-0001', name: 'Kim', teamsUserId: '29:kim' });
      await repo.savePerson(kim, null);

      expect((await repo.getByEmail(EMAIL))?.value).toMatchObject({
        aadObjectId: 'aad-kim-0001',
        name: 'Kim',
      });
      const found = await repo.findManyByEmail([EMAIL, 'sam.new@justice.gov.uk']);
      expect(onePerson(found.get(EMAIL))?.value.aadObjectId).toBe('aad-kim-0001');
      expect(onePerson(found.get('sam.new@justice.gov.uk'))?.value.aadObjectId).toBe(
        'aad-sam-0001',
      );

      // Kim removed: the address leads nowhere, Sam is untouched.
      await repo.removePerson(kim);
      expect(await repo.getByEmail(EMAIL)).toBeUndefined();
      expect((await repo.getByAadObjectId('aad-sam-0001'))?.value.email).toBe(
        'sam.new@justice.gov.uk',
      );
    });

    it('finds someone by their UPN as well as their mail, and forgets a UPN they no longer have', async () => {
      await repo.savePerson(aPerson({ upn: 'S.Owner@Justice.onmicrosoft.com' }), null);
      const byUpn = await repo.getByEmail('s.owner@justice.onmicrosoft.com');
      expect(byUpn?.value).toMatchObject({ email: EMAIL, upn: 's.owner@justice.onmicrosoft.com' });
      expect((await repo.getByEmail(EMAIL))?.version).toBe(byUpn?.version);

      await repo.savePerson(
        { ...byUpn!.value, upn: 'sam.o@justice.onmicrosoft.com' },
        byUpn!.version,
      );
      expect(await repo.getByEmail('s.owner@justice.onmicrosoft.com')).toBeUndefined();
      expect((await repo.getByEmail('sam.o@justice.onmicrosoft.com'))?.value.email).toBe(EMAIL);
    });

    it('never guesses between two accounts that claim one email', async () => {
      const first = aPerson();
      const second = aPerson({
        aadObjectId: 'aad-other-0002',
        tenantId: 'tenant-2',
        name: 'Other',
      });
      await repo.savePerson(first, null);
      await repo.savePerson(second, null);

      const found = await repo.findByEmail(EMAIL);
      expect(found.kind).toBe('ambiguous');
      expect(
        found.kind === 'ambiguous' ? found.people.map((p) => p.value.aadObjectId).sort() : [],
      ).toEqual(['aad-other-0002', 'aad-sam-0001']);
      expect(await repo.getByEmail(EMAIL)).toBeUndefined();
      expect((await repo.getByAadObjectId('aad-other-0002'))?.value.name).toBe('Other');

      // Once one of them has gone, the other is the one.
      await repo.removePerson(second);
      expect((await repo.getByEmail(EMAIL))?.value.aadObjectId).toBe('aad-sam-0001');
    });

    it('lets only one account claim a free address exclusively, even at the same moment', async () => {
      const accounts = ['aad-a', 'aad-b', 'aad-c'].map((aadObjectId) => aPerson({ aadObjectId }));
      const results = await Promise.allSettled(
        accounts.map((p) => repo.savePerson(p, null, { exclusive: true })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(isActionPlanError(r.reason, 'conflict')).toBe(true);
      }
      expect(await repo.findByEmail(EMAIL)).toMatchObject({ kind: 'one' });
      expect(await repo.listPeople()).toHaveLength(1);
    });

    it('leads no address to an account kept apart, but finds it by its object id', async () => {
      await repo.savePerson(aPerson(), null);
      const apart = aPerson({
        aadObjectId: 'aad-other-0002',
        tenantId: 'tenant-2',
        keptApart: '2025-03-02T09:00:00.000Z',
      });
      await repo.savePerson(apart, null);

      expect((await repo.getByEmail(EMAIL))?.value.aadObjectId).toBe('aad-sam-0001');
      expect((await repo.getByAadObjectId('aad-other-0002'))?.value).toEqual(apart);
      expect(await repo.listPeople()).toHaveLength(2);

      // Its address free again (the other account removed), it can claim it.
      await repo.removePerson(aPerson());
      const read = await repo.getByAadObjectId('aad-other-0002');
      const { keptApart: _apart, ...claimed } = read!.value;
      await repo.savePerson(claimed, read!.version);
      expect((await repo.getByEmail(EMAIL))?.value.aadObjectId).toBe('aad-other-0002');
    });

    it('moves a person known only by email onto their account, leaving nothing behind', async () => {
      await repo.savePerson(anAdminNamedByEmail(), null);
      const placeholder = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...aPerson(), admin: true }, null, { replaces: [placeholder!] });

      const people = await repo.listPeople();
      expect(people.map((p) => p.value.aadObjectId)).toEqual(['aad-sam-0001']);
      expect((await repo.getByEmail(EMAIL))?.value).toMatchObject({
        aadObjectId: 'aad-sam-0001',
        admin: true,
      });
      expect(await repo.findByEmail(EMAIL)).toMatchObject({ kind: 'one' });
    });

    it('refuses to take the place of a record that changed since it was read', async () => {
      await repo.savePerson({ ...aPerson({ aadObjectId: undefined, tenantId: undefined }) }, null);
      const placeholder = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...placeholder!.value, name: 'Renamed' }, placeholder!.version);
      const error = await repo
        .savePerson(aPerson(), null, { replaces: [placeholder!] })
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect((await repo.getByEmail(EMAIL))?.value.name).toBe('Renamed');
      expect(await repo.getByAadObjectId('aad-sam-0001')).toBeUndefined();
    });

    it('finds an account stored without its tenant by its object id, whatever tenant is asked', async () => {
      await repo.savePerson(aPerson({ tenantId: undefined }), null);
      expect((await repo.getByAadObjectId('aad-sam-0001', 'tenant-1'))?.value.email).toBe(EMAIL);
      await repo.savePerson(
        aPerson({ aadObjectId: 'aad-kim-0003', email: 'kim@example.org' }),
        null,
      );
      expect(await repo.getByAadObjectId('aad-kim-0003', 'tenant-9')).toBeUndefined();
      expect((await repo.getByAadObjectId('AAD-KIM-0003', 'TENANT-1'))?.value.email).toBe(
        'kim@example.org',
      );
    });

    it('looks several addresses up at once', async () => {
      await repo.savePerson(aPerson(), null);
      await repo.savePerson(aPerson({ aadObjectId: 'aad-two', email: 'two@example.org' }), null);
      const found = await repo.findManyByEmail([
        'Sam.Owner@Justice.gov.uk',
        'two@example.org',
        'x@example.org',
      ]);
      expect(found.get(EMAIL)).toMatchObject({ kind: 'one', person: { value: { email: EMAIL } } });
      expect(found.get('two@example.org')).toMatchObject({ kind: 'one' });
      expect(found.get('x@example.org')).toEqual({ kind: 'none' });
    });
  });

  describe('the admin index', () => {
    const admins = async () =>
      (await repo.listAdmins()).map((p) => `${p.value.email} ${p.value.aadObjectId ?? '-'}`);

    it('lists the people stored as admins, and stops when that goes', async () => {
      await repo.savePerson(aPerson({ admin: true }), null);
      await repo.savePerson(
        aPerson({ email: 'kim@justice.gov.uk', aadObjectId: 'aad-kim-0001', name: 'Kim' }),
        null,
      );
      expect(await admins()).toEqual([`${EMAIL} aad-sam-0001`]);

      const sam = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...sam!.value, admin: false }, sam!.version);
      expect(await admins()).toEqual([]);
      const again = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...again!.value, admin: true }, again!.version);
      expect(await admins()).toEqual([`${EMAIL} aad-sam-0001`]);
    });

    it('follows an admin through a rename and a new email, and forgets one removed', async () => {
      await repo.savePerson(aPerson({ admin: true }), null);
      const read = await repo.getByAadObjectId('aad-sam-0001');
      await repo.savePerson(
        { ...read!.value, name: 'Samantha', email: 'sam.new@justice.gov.uk' },
        read!.version,
      );
      expect(await admins()).toEqual(['sam.new@justice.gov.uk aad-sam-0001']);
      expect((await repo.listAdmins())[0]?.value.name).toBe('Samantha');

      await repo.removePerson(aPerson({ email: 'sam.new@justice.gov.uk' }));
      expect(await admins()).toEqual([]);
    });

    it('moves with a person known only by email onto their account, never listing both', async () => {
      await repo.savePerson(anAdminNamedByEmail(), null);
      expect(await admins()).toEqual([`${EMAIL} -`]);
      const placeholder = await repo.getByEmail(EMAIL);
      await repo.savePerson({ ...aPerson(), admin: true }, null, { replaces: [placeholder!] });
      expect(await admins()).toEqual([`${EMAIL} aad-sam-0001`]);

      // Replaced by an account that is not an admin: nobody is.
      const account = await repo.getByEmail(EMAIL);
      await repo.savePerson(
        aPerson({ aadObjectId: 'aad-sam-0002', tenantId: 'other-tenant', admin: false }),
        null,
        { replaces: [account!] },
      );
      expect(await admins()).toEqual([]);
    });
  });

  describe('installed conversations', () => {
    it('stores group chats and channels and lists them', async () => {
      const chat = aConversation();
      const channel = aConversation({
        conversationId: '19:general@thread.tacv2',
        kind: 'channel',
        name: 'General',
        teamId: '19:general@thread.tacv2',
      });
      await repo.saveConversation(chat);
      await repo.saveConversation(channel);
      expect(byId(await repo.listConversations())).toEqual(byId([chat, channel]));
    });

    it('replaces a conversation saved again, and removes one, missing or not', async () => {
      await repo.saveConversation(aConversation());
      const { name: _name, ...renamed } = aConversation({ reference: '{"renamed":true}' });
      await repo.saveConversation(renamed);
      expect(await repo.listConversations()).toEqual([renamed]);

      await repo.removeConversation(renamed.conversationId);
      await repo.removeConversation(renamed.conversationId);
      await repo.removeConversation('19:never-there@thread.v2');
      expect(await repo.listConversations()).toEqual([]);
    });

    it('round-trips Teams conversation ids with characters keys cannot hold', async () => {
      const ids = [
        '19:abc@thread.tacv2;messageid=1700000000000',
        'a:1Xy/Z+w#q?==',
        '19:back\\slash%20@thread.v2',
      ];
      for (const conversationId of ids)
        await repo.saveConversation(aConversation({ conversationId }));
      expect((await repo.listConversations()).map((c) => c.conversationId).sort()).toEqual(
        [...ids].sort(),
      );
      await repo.removeConversation(ids[1]!);
      expect((await repo.listConversations()).map((c) => c.conversationId).sort()).toEqual(
        [ids[0]!, ids[2]!].sort(),
      );
    });

    it('keeps people and conversations apart', async () => {
      await repo.savePerson(aPerson());
      await repo.saveConversation(aConversation());
      expect(await repo.listPeople()).toHaveLength(1);
      expect(await repo.listConversations()).toHaveLength(1);
    });
  });

  describe('Graph installation attempts', () => {
    it('keeps the last attempt per address, in any case, apart from the people', async () => {
      const at = '2025-03-01T09:00:00.000Z';
      await repo.saveInstallAttempt({
        address: 'Nobody.Yet@Justice.gov.uk',
        outcome: 'refused',
        code: 'permission_missing',
        reason: 'Microsoft Graph refused.',
        at,
      });
      await repo.saveInstallAttempt({
        address: 'nobody.yet@justice.gov.uk',
        outcome: 'installed',
        code: 'installed',
        reason: 'Installed.',
        at,
        userId: 'aad-nobody',
      });
      expect(await repo.listInstallAttempts()).toEqual([
        {
          address: 'nobody.yet@justice.gov.uk',
          outcome: 'installed',
          code: 'installed',
          reason: 'Installed.',
          at,
          userId: 'aad-nobody',
        },
      ]);
      expect(await repo.listPeople()).toEqual([]);
    });
  });

  describe('team rosters', () => {
    const TEAM = '19:kim-network@thread.tacv2';
    const member = (n: number, overrides: Partial<Person> = {}): Person =>
      aPerson({
        aadObjectId: `aad-member-${n}`,
        email: `member${n}@justice.gov.uk`,
        name: `Member ${n}`,
        teamsUserId: `29:member-${n}`,
        conversation: undefined,
        teams: [TEAM],
        ...overrides,
      });
    const emails = (entries: readonly { email: string }[]) => entries.map((e) => e.email).sort();

    it('adds new people many at a time, each findable and on the roster', async () => {
      const people = Array.from({ length: 60 }, (_, i) => member(i));
      expect(await repo.addNewPeople(people)).toEqual([]);
      expect((await repo.getByEmail('member42@justice.gov.uk'))?.value).toEqual(people[42]);
      expect((await repo.getByAadObjectId('aad-member-7', 'tenant-1'))?.value.name).toBe(
        'Member 7',
      );
      expect(emails(await repo.listRoster(TEAM))).toEqual(emails(people));
      expect(await repo.listRoster('19:another-team@thread.tacv2')).toEqual([]);
    });

    it('lists an admin stored among new people many at a time, and no one else of them', async () => {
      const people = [member(1), member(2, { admin: true }), member(3)];
      expect(await repo.addNewPeople(people)).toEqual([]);
      expect((await repo.listAdmins()).map((p) => p.value.email)).toEqual([
        'member2@justice.gov.uk',
      ]);
    });

    it('gives back, unwritten, anyone whose account or address is already stored, and a member listed twice', async () => {
      await repo.savePerson(aPerson()); // Sam, installed: holds sam.owner@…
      await repo.savePerson(aPerson({ email: 'named@justice.gov.uk', aadObjectId: undefined }));
      const newcomer = member(1);
      const samAgain = aPerson({ teams: [TEAM], conversation: undefined });
      const samsAddressElsewhere = member(2, { email: EMAIL });
      const named = member(3, { email: 'named@justice.gov.uk' });
      const twice = member(4);
      const left = await repo.addNewPeople([
        newcomer,
        samAgain,
        samsAddressElsewhere,
        named,
        twice,
        twice,
      ]);
      expect(left.map((p) => p.aadObjectId).sort()).toEqual(
        ['aad-member-2', 'aad-member-3', 'aad-member-4', 'aad-sam-0001'].sort(),
      );
      // Nobody was written twice or beside a holder: Sam's address still leads to Sam alone.
      expect((await repo.findByEmail(EMAIL)).kind).toBe('one');
      expect((await repo.getByEmail(EMAIL))?.value.teams).toBeUndefined();
      expect((await repo.getByEmail('named@justice.gov.uk'))?.value.aadObjectId).toBeUndefined();
      expect(emails(await repo.listRoster(TEAM))).toEqual([
        'member1@justice.gov.uk',
        'member4@justice.gov.uk',
      ]);
    });

    it('keeps roster rows in step with the teams a person is saved with', async () => {
      await repo.savePerson(member(1, { teams: [TEAM, '19:other@thread.tacv2'] }));
      expect(emails(await repo.listRoster('19:other@thread.tacv2'))).toEqual([
        'member1@justice.gov.uk',
      ]);
      const stored = (await repo.getByEmail('member1@justice.gov.uk'))!;
      await repo.savePerson({ ...stored.value, name: 'Member One', teams: [TEAM] }, stored.version);
      expect(await repo.listRoster('19:other@thread.tacv2')).toEqual([]);
      expect(await repo.listRoster(TEAM)).toEqual([
        expect.objectContaining({ teamId: TEAM, name: 'Member One', teamsUserId: '29:member-1' }),
      ]);
      await repo.removePerson(stored.value);
      expect(await repo.listRoster(TEAM)).toEqual([]);
    });

    it('moves roster rows with a person whose record is keyed anew', async () => {
      await repo.savePerson(member(1, { tenantId: undefined }));
      const old = (await repo.getByAadObjectId('aad-member-1'))!;
      await repo.savePerson(member(1), null, { replaces: [old] });
      expect(await repo.listRoster(TEAM)).toEqual([
        expect.objectContaining({ aadObjectId: 'aad-member-1', tenantId: 'tenant-1' }),
      ]);
    });
  });
}

export const EMAIL = 'sam.owner@justice.gov.uk';

/** An admin a plan named by email who never installed the bot: no account, no chat. */
export const anAdminNamedByEmail = (): Person => ({
  email: EMAIL,
  name: 'Sam Owner',
  reachable: false,
  admin: true,
  updatedAt: '2025-03-01T09:00:00.000Z',
});

/** A person who installed the bot: reachable, with a personal-chat reference. */
export function aPerson(overrides: Partial<Person> = {}): Person {
  const person: Person = {
    aadObjectId: 'aad-sam-0001',
    email: EMAIL,
    name: 'Sam Owner',
    tenantId: 'tenant-1',
    teamsUserId: '29:sam',
    conversation: JSON.stringify({
      conversation: { id: 'a:personal-sam', conversationType: 'personal', tenantId: 'tenant-1' },
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
    }),
    reachable: true,
    updatedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
  // An explicit `undefined` override means "without this field", as a stored record would be.
  return Object.fromEntries(
    Object.entries(person).filter(([, v]) => v !== undefined),
  ) as unknown as Person;
}

export function aConversation(
  overrides: Partial<InstalledConversation> = {},
): InstalledConversation {
  return {
    conversationId: '19:kim-team-chat@thread.v2',
    kind: 'groupChat',
    name: 'KIM team',
    tenantId: 'tenant-1',
    reference: JSON.stringify({ conversation: { id: '19:kim-team-chat@thread.v2' } }),
    installedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
}

const byId = (list: readonly InstalledConversation[]): InstalledConversation[] =>
  [...list].sort((a, b) => (a.conversationId < b.conversationId ? -1 : 1));
