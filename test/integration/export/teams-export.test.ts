import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { FILE_CONSENT_CARD, FILE_INFO_CARD } from '../../../src/teams/file-consent';
import {
  aMessage,
  anInvoke,
  GENERAL_CHANNEL,
  KIM,
  SAM,
  startBotDriver,
  type ActivityJson,
  type BotDriver,
} from '../../helpers/bot-driver';
import { importMojPlan } from '../../helpers/fixtures';

/**
 * `export` through the whole bot, as Teams would send it: in a personal chat the admin gets a file
 * consent card; accepting it makes the bot PUT the Word file to the upload URL Teams gives (here a
 * local server standing in for OneDrive) and post a file info card. In a channel there is no file,
 * only the summary and the command to run.
 */

const PLAN = 'ministry-of-justice-ima-action-plan';

/** OneDrive's upload session, as far as the bot can tell: takes a PUT, answers 201. */
interface Upload {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly method: string;
}
let oneDrive: Server;
let uploads: Upload[];
let uploadStatus = 201;
let uploadUrl: string;

let bot: BotDriver;
beforeAll(async () => {
  uploads = [];
  oneDrive = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ headers: req.headers, body: Buffer.concat(chunks), method: req.method ?? '' });
      res.writeHead(uploadStatus, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((done) => oneDrive.listen(0, '127.0.0.1', done));
  uploadUrl = `http://127.0.0.1:${(oneDrive.address() as AddressInfo).port}/upload-session/1`;

  // Sam is the plan admin; Kim is no one in particular.
  bot = await startBotDriver({ members: [SAM, KIM], env: { ADMIN_EMAILS: SAM.email } });
  await importMojPlan(bot.container.deps, { source: 'moj.txt' });
});
afterAll(async () => {
  await bot.close();
  await new Promise((done) => oneDrive.close(done));
});
beforeEach(() => {
  bot.connector.clear();
  uploads = [];
  uploadStatus = 201;
});

/** Teams' answer to the consent card. */
function consentAnswer(action: 'accept' | 'decline', context: unknown, from = SAM): ActivityJson {
  return {
    ...anInvoke({ verb: 'unused', from }),
    name: 'fileConsent/invoke',
    value: {
      type: 'fileUpload',
      action,
      context,
      ...(action === 'accept'
        ? {
            uploadInfo: {
              contentUrl:
                'https://contoso-my.sharepoint.com/personal/sam/Documents/Applications/Action%20Plan/update.docx',
              fileType: 'docx',
              name: 'update.docx',
              uploadUrl,
              uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
            },
          }
        : {}),
    },
  };
}

async function offer() {
  await bot.send(aMessage({ text: 'export November 2026', from: SAM }));
  const [reply] = bot.connector.messages();
  const attachments = reply?.body.attachments ?? [];
  return {
    reply,
    attachments,
    consent: attachments.find((a: { contentType: string }) => a.contentType === FILE_CONSENT_CARD),
  };
}

it('offers the admin the Word file in a personal chat, under a card summing the update up', async () => {
  const { attachments, consent } = await offer();
  expect(attachments.map((a: { contentType: string }) => a.contentType)).toEqual([
    'application/vnd.microsoft.card.adaptive',
    FILE_CONSENT_CARD,
  ]);
  expect(JSON.stringify(attachments[0].content)).toContain('Progress update – November 2026');
  expect(consent).toMatchObject({
    name: `${PLAN}-progress-update-november-2026.docx`,
    content: {
      description: 'Ministry of Justice IMA Action Plan – Progress update – November 2026 (Word)',
      sizeInBytes: expect.any(Number),
      acceptContext: { planId: PLAN, format: 'docx', label: 'November 2026' },
    },
  });
});

it('uploads the Word file when the admin accepts, then shows it in the chat', async () => {
  const { consent } = await offer();
  bot.connector.clear();
  const answer = await bot.send(consentAnswer('accept', consent.content.acceptContext));
  expect(answer.status).toBe(200);

  expect(uploads).toHaveLength(1);
  const [upload] = uploads;
  expect(upload?.method).toBe('PUT');
  const size = upload!.body.length;
  expect(upload?.headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);
  // The file is made again on accept, and Word files carry the moment they were made (the docx
  // library stamps core.xml and the zip entries), so the compressed size can move by a few bytes:
  // the card's size is the same document, not the same bytes.
  expect(Math.abs(size - consent.content.sizeInBytes)).toBeLessThan(64);
  // The upload is the progress update itself: open it as Word does.
  const zip = await JSZip.loadAsync(upload!.body);
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  expect(xml).toContain('Progress update – November 2026');
  expect(xml).toContain('>4.9a<');

  const [sent] = bot.connector.messages();
  expect(sent?.body.attachments).toEqual([
    {
      contentType: FILE_INFO_CARD,
      contentUrl: expect.stringContaining('sharepoint.com'),
      name: 'update.docx',
      content: { uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'docx' },
    },
  ]);
});

it('says so, and uploads nothing, when someone who may not export accepts an offer', async () => {
  const { consent } = await offer();
  bot.connector.clear();
  const answer = await bot.send(consentAnswer('accept', consent.content.acceptContext, KIM));
  expect(answer.status).toBe(200);
  expect(uploads).toEqual([]);
  expect(JSON.stringify(bot.connector.messages()[0]?.body)).toContain(
    'Only a plan admin or a KIM Champion can have the progress update as a file',
  );
});

it('tells the admin when OneDrive refuses the upload', async () => {
  const { consent } = await offer();
  bot.connector.clear();
  uploadStatus = 403;
  expect((await bot.send(consentAnswer('accept', consent.content.acceptContext))).status).toBe(200);
  expect(uploads).toHaveLength(1);
  const said = JSON.stringify(bot.connector.messages()[0]?.body);
  expect(said).toContain("couldn't upload the file to your OneDrive");
  expect(said).not.toContain(FILE_INFO_CARD);
  expect(
    bot.logs.some((l) => l.level === 'error' && l.message.includes('could not be uploaded')),
  ).toBe(true);
});

it('refuses an answer that carries no export it knows', async () => {
  await bot.send(consentAnswer('accept', { planId: PLAN, format: 'pdf' }));
  expect(uploads).toEqual([]);
  expect(JSON.stringify(bot.connector.messages()[0]?.body)).toContain('not one I recognise');
});

it('answers a declined offer, uploading nothing', async () => {
  const { consent } = await offer();
  bot.connector.clear();
  expect((await bot.send(consentAnswer('decline', consent.content.acceptContext))).status).toBe(
    200,
  );
  expect(uploads).toEqual([]);
  expect(JSON.stringify(bot.connector.messages()[0]?.body)).toContain('No file, then.');
});

it('sends no file in a channel: the summary, and how to get the file', async () => {
  await bot.send(aMessage({ text: 'export', in: GENERAL_CHANNEL, from: SAM, mention: true }));
  const [reply] = bot.connector.messages();
  const types = (reply?.body.attachments ?? []).map((a: { contentType: string }) => a.contentType);
  expect(types).toEqual(['application/vnd.microsoft.card.adaptive']);
  const said = JSON.stringify(reply?.body);
  expect(said).toContain('Teams lets me send files only in a personal chat');
  expect(said).toContain(`npx actionplan export --plan ${PLAN} --format docx`);
});
