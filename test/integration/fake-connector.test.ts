import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

/** The fake must answer as Teams' connector does, or tests built on it prove nothing. */
describe('the fake Bot Connector', () => {
  let connector: FakeConnector;
  beforeEach(async () => {
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    await connector.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${connector.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('records replies, sends, updates and new conversations, answering with ids', async () => {
    const message = { type: 'message', text: 'hi' };
    const reply = await call('POST', 'v3/conversations/a%3A1/activities/m-1', message);
    const sent = await call('POST', 'v3/conversations/a%3A1/activities', message);
    const updated = await call('PUT', 'v3/conversations/a%3A1/activities/m-9', message);
    const created = await call('POST', 'v3/conversations', { isGroup: false, members: [] });

    expect(reply).toEqual({ status: 200, body: { id: expect.any(String) } });
    expect(sent.body.id).not.toBe(reply.body.id);
    expect(updated.body).toEqual({ id: 'm-9' });
    expect(created.body).toEqual({
      id: expect.stringMatching(/^a:/),
      activityId: expect.any(String),
      serviceUrl: connector.url,
    });
    expect(connector.requests.map((r) => [r.kind, r.conversationId, r.activityId])).toEqual([
      ['reply', 'a:1', 'm-1'],
      ['send', 'a:1', undefined],
      ['update', 'a:1', 'm-9'],
      ['createConversation', undefined, undefined],
    ]);
    expect(connector.requests.every((r) => r.authorization === 'Bearer t')).toBe(true);
    expect(connector.messages()).toHaveLength(2);
  });

  it('knows the members it was given, and answers 404 for anyone else', async () => {
    connector.addMembers({ id: '29:kim', name: 'Kim', email: 'kim@example.org' });
    expect(await call('GET', 'v3/conversations/19%3Ag/members/29%3Akim')).toEqual({
      status: 200,
      body: { id: '29:kim', name: 'Kim', email: 'kim@example.org' },
    });
    expect((await call('GET', 'v3/conversations/19%3Ag/members/29%3Anobody')).status).toBe(404);
    expect(connector.memberLookups.map((l) => l.userId)).toEqual(['29:kim', '29:nobody']);
  });

  it('grants client-credentials tokens and refuses routes it does not know', async () => {
    const token = await fetch(connector.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app' }),
    });
    expect(await token.json()).toMatchObject({ access_token: connector.issuedToken });
    expect(connector.tokenRequests).toEqual([
      { grant_type: 'client_credentials', client_id: 'app' },
    ]);
    expect((await call('POST', 'v3/attachments', {})).status).toBe(404);
    expect(connector.requests).toEqual([]);
  });
});
