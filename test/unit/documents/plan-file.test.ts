import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';

import {
  decodeText,
  MAX_PLAN_FILE_BYTES,
  parsePlanDocument,
  readPlanFile,
} from '../../../src/documents/plan-file';
import { mojPlanText } from '../../helpers/fixtures';

// readFile is watched so that a test can show a file was refused without being read.
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, readFile: jest.fn(actual.readFile) };
});
const readFileMock = readFile as jest.MockedFunction<typeof readFile>;

const MB = 1024 * 1024;
const CSV = 'Ref,Action,Priority,Target date,Status\r\n1.1,Do it,H,End Mar 2017,In progress\r\n';

/** A real (stored, uncompressed) zip archive holding the given files. */
function zip(files: Record<string, string>): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** Deterministic "random" bytes, so that a failure can be reproduced. */
function noise(length: number, seed = 42): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  return b;
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const messages = (r: { errors: { message: string }[] }): string[] => r.errors.map((e) => e.message);

describe('parsePlanDocument: empty, huge and binary files', () => {
  it.each([
    ['no bytes', Buffer.alloc(0)],
    ['only white space', Buffer.from(' \r\n\t \n')],
    ['only a UTF-8 BOM and a newline', Buffer.from('\uFEFF\n', 'utf8')],
    ['only a UTF-16 BOM', Buffer.from([0xff, 0xfe, 0x20, 0x00])],
  ])('refuses a file of %s as empty', async (_what, bytes) => {
    const r = await parsePlanDocument(bytes, 'plan.csv');
    expect(messages(r)).toEqual(['The file is empty.']);
    expect(r.plan.actions).toEqual([]);
  });

  it('refuses a 50 MB file by its size, naming the size and the limit', async () => {
    expect(MAX_PLAN_FILE_BYTES).toBe(10 * MB);
    const big = Buffer.alloc(50 * MB, 'a');
    const r = await parsePlanDocument(big, 'plan.txt');
    expect(messages(r)).toEqual([
      'The file is 50 MB; the largest plan file accepted is 10 MB. Is this the right file?',
    ]);
  });

  it('accepts a file of exactly the limit as far as the size goes', async () => {
    const r = await parsePlanDocument(Buffer.alloc(MAX_PLAN_FILE_BYTES, ' '), 'plan.txt');
    expect(messages(r)).toEqual(['The file is empty.']);
  });

  it('refuses random bytes with NULs as a binary file', async () => {
    const bytes = noise(4096);
    expect(bytes.includes(0)).toBe(true);
    const r = await parsePlanDocument(bytes, 'plan.txt');
    expect(messages(r)).toEqual([
      'This looks like a binary file, not a plan. Plans are accepted as Word (.docx), Excel (.xlsx), CSV (.csv) or text (.txt) files.',
    ]);
  });

  it('refuses a file that is mostly control characters, even without NULs', async () => {
    const bytes = Buffer.from(
      Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x41 : 0x01 + (i % 7))),
    );
    const r = await parsePlanDocument(bytes, 'plan.csv');
    expect(messages(r)).toEqual([
      'This looks like a binary file, not a plan. Plans are accepted as Word (.docx), Excel (.xlsx), CSV (.csv) or text (.txt) files.',
    ]);
  });
});

describe('parsePlanDocument: other known formats', () => {
  it('reads a .docx by its content even when renamed .xlsx (here: one with no table)', async () => {
    const docx = zip({
      'word/document.xml':
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
    });
    for (const name of ['IMA action plan.docx', 'plan.xlsx']) {
      const r = await parsePlanDocument(docx, name);
      expect(messages(r)).toEqual([expect.stringMatching(/^This Word document has no table/)]);
    }
  });

  it('refuses a PDF, saying which formats are accepted', async () => {
    const r = await parsePlanDocument(
      Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n', 'latin1'),
      'plan.pdf',
    );
    expect(messages(r)).toEqual([
      expect.stringMatching(
        /^This is a PDF, which .*Word \(\.docx\), Excel \(\.xlsx\), CSV \(\.csv\) or text \(\.txt\)/,
      ),
    ]);
  });

  it('refuses a zip that is no Office file', async () => {
    const r = await parsePlanDocument(zip({ 'readme.txt': 'hello' }), 'plan.zip');
    expect(messages(r)).toEqual([expect.stringMatching(/^This is a zip archive, not a plan/)]);
  });

  it('says so when a file named .xlsx is not a workbook', async () => {
    const r = await parsePlanDocument(Buffer.from(CSV), 'plan.xlsx');
    expect(messages(r)).toEqual([
      expect.stringContaining('"plan.xlsx" is named as an Excel workbook but is not one'),
    ]);
  });
});

describe('parsePlanDocument: choosing the importer', () => {
  it('reads an Excel workbook, detected by content whatever its name', async () => {
    const bytes = await xlsx([
      ['Ref', 'Action', 'Priority', 'Target date', 'Status'],
      ['1.1', 'Do it', 'H', 'End Mar 2017', 'In progress'],
    ]);
    for (const name of ['plan.xlsx', 'plan.bin', 'plan']) {
      const r = await parsePlanDocument(bytes, name);
      expect(r.errors).toEqual([]);
      expect(r.plan.actions.map((a) => [a.ref, a.targetDate, a.status])).toEqual([
        ['1.1', '2017-03-31', 'in_progress'],
      ]);
    }
  });

  it('reads .csv (any case) as CSV and titles the plan after the file', async () => {
    const r = await parsePlanDocument(Buffer.from(CSV), 'uploads/MoJ plan.CSV');
    expect(r.errors).toEqual([]);
    expect(r.plan.title).toBe('MoJ plan');
    expect(r.plan.actions.map((a) => a.ref)).toEqual(['1.1']);
  });

  it('reads CSV by its content when its name does not say so', async () => {
    for (const name of ['plan.txt', 'plan', 'plan.docx.txt']) {
      const r = await parsePlanDocument(Buffer.from(CSV), name);
      expect(r.errors).toEqual([]);
      expect(r.plan.actions.map((a) => [a.ref, a.status])).toEqual([['1.1', 'in_progress']]);
    }
  });

  it('reads a UTF-8 CSV with a BOM', async () => {
    const r = await parsePlanDocument(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]),
      'p.csv',
    );
    expect(r.errors).toEqual([]);
    expect(r.plan.actions).toHaveLength(1);
    expect(r.plan.warnings).toEqual([]);
  });

  it('reads anything else as a text plan (the MoJ plan, 42 actions)', async () => {
    const r = await parsePlanDocument(
      Buffer.from(mojPlanText(), 'utf8'),
      'moj-ima-action-plan.txt',
    );
    expect(r.errors).toEqual([]);
    expect(r.plan.title).toBe('Ministry of Justice IMA Action Plan');
    expect(r.plan.actions).toHaveLength(42);
  });
});

describe('parsePlanDocument: text encodings', () => {
  it('reads Word\'s "Unicode text" (UTF-16 LE with BOM)', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(mojPlanText(), 'utf16le')]);
    const r = await parsePlanDocument(bytes, 'moj.txt');
    expect(r.errors).toEqual([]);
    expect(r.plan.actions).toHaveLength(42);
    expect(r.plan.actions.find((a) => a.ref === '4.9a')!.targetDate).toBe('2017-03-31');
  });

  it('reads UTF-16 BE with BOM', async () => {
    const le = Buffer.from(CSV, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    const r = await parsePlanDocument(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'p.csv');
    expect(r.errors).toEqual([]);
    expect(r.plan.actions.map((a) => a.text)).toEqual(['Do it']);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8 (0x92 is an apostrophe)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('Ref,Action,Priority,Target date,Status\r\n1.1,Staff don'),
      Buffer.from([0x92]),
      Buffer.from('t file emails in the Caf'),
      Buffer.from([0xe9]),
      Buffer.from(',H,End 2016,\r\n'),
    ]);
    const r = await parsePlanDocument(bytes, 'ansi.csv');
    expect(r.errors).toEqual([]);
    expect(r.plan.actions[0]!.text).toBe("Staff don't file emails in the Café");
    expect(decodeText(Buffer.from([0x93, 0x41, 0x94]))).toBe('\u201cA\u201d');
  });

  it('keeps UTF-8 as UTF-8', () => {
    expect(decodeText(Buffer.from('Progress update – May 2017 ‘x’', 'utf8'))).toBe(
      'Progress update – May 2017 ‘x’',
    );
  });
});

describe('readPlanFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plan-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => readFileMock.mockClear());

  it('refuses a 50 MB file from its size alone, without reading it', async () => {
    const path = join(dir, 'huge.csv');
    const handle = await open(path, 'w');
    await handle.truncate(50 * MB); // sparse: takes no real space
    await handle.close();
    const r = await readPlanFile(path);
    expect(messages(r)).toEqual([
      'The file is 50 MB; the largest plan file accepted is 10 MB. Is this the right file?',
    ]);
    expect(readFileMock).not.toHaveBeenCalled();
  });

  it('reads a small file and names the plan after it', async () => {
    const path = join(dir, 'Action plan 2017.csv');
    await writeFile(path, CSV);
    const r = await readPlanFile(path);
    expect(readFileMock).toHaveBeenCalledTimes(1);
    expect(r.errors).toEqual([]);
    expect(r.plan.title).toBe('Action plan 2017');
    expect(r.plan.actions).toHaveLength(1);
  });

  it('refuses an empty file without reading it', async () => {
    const path = join(dir, 'empty.txt');
    await writeFile(path, '');
    expect(messages(await readPlanFile(path))).toEqual(['The file is empty.']);
    expect(readFileMock).not.toHaveBeenCalled();
  });

  it('reports a missing file or a folder as an error, not an exception', async () => {
    expect(messages(await readPlanFile(join(dir, 'nope.csv')))).toEqual([
      expect.stringMatching(/^There is no file ".*nope\.csv"\.$/),
    ]);
    expect(messages(await readPlanFile(dir))).toEqual([expect.stringContaining('is not a file')]);
  });
});
