import yauzl from 'yauzl';
import yazl from 'yazl';

/**
 * ZIP archives, read and written with yauzl and yazl (see docs/DEPENDENCIES.md): reading
 * the Office files people send (.docx, and the sniffing of .xlsx), writing the Teams app package.
 */

/** Why an archive could not be read; callers turn each reason into their own message. */
export type ZipProblem =
  /** Not a ZIP archive, or a damaged one. */
  | 'unreadable'
  /** An entry is encrypted (a ZIP password, not Office's own encryption, which is not a ZIP). */
  | 'encrypted'
  /** The entries asked for unpack to more than the cap, by their declared or their actual size. */
  | 'too_big';

export class ZipError extends Error {
  constructor(
    readonly problem: ZipProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipContents {
  /** Every entry's name, in the order of the central directory. */
  readonly names: readonly string[];
  /** The unpacked bytes of the entries that were asked for and present. */
  readonly files: ReadonlyMap<string, Buffer>;
}

export interface ReadZipOptions {
  /** Which entries to unpack. */
  readonly wanted: (name: string) => boolean;
  /** The most bytes the wanted entries may unpack to, together. */
  readonly maxUnpackedBytes: number;
}

/**
 * Reads a ZIP archive held in memory through its central directory, unpacking only the wanted
 * entries. A ZIP bomb is stopped twice over: an entry whose declared size would pass the cap is
 * refused before it is inflated, and the bytes actually inflated are counted as they come, so an
 * entry that lies about its size is cut off at the cap (yauzl also refuses any entry whose
 * inflated size differs from the size it declares).
 */
export function readZip(bytes: Buffer, options: ReadZipOptions): Promise<ZipContents> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, validateEntrySizes: true, decodeStrings: true },
      (openError, zipFile) => {
        if (openError || !zipFile) {
          reject(new ZipError('unreadable', openError?.message ?? 'not a ZIP archive'));
          return;
        }
        const names: string[] = [];
        const files = new Map<string, Buffer>();
        let unpacked = 0;
        let settled = false;
        const fail = (e: ZipError): void => {
          if (settled) return;
          settled = true;
          zipFile.close();
          reject(e);
        };
        const tooBig = (): ZipError =>
          new ZipError(
            'too_big',
            `unpacks to more than ${options.maxUnpackedBytes} bytes, the most accepted`,
          );
        zipFile.on('error', (e: Error) => fail(new ZipError('unreadable', e.message)));
        zipFile.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ names, files });
        });
        zipFile.on('entry', (entry: yauzl.Entry) => {
          names.push(entry.fileName);
          if (!options.wanted(entry.fileName) || entry.fileName.endsWith('/')) {
            zipFile.readEntry();
            return;
          }
          if (entry.isEncrypted()) {
            fail(new ZipError('encrypted', `"${entry.fileName}" is encrypted`));
            return;
          }
          if (unpacked + entry.uncompressedSize > options.maxUnpackedBytes) {
            fail(tooBig());
            return;
          }
          zipFile.openReadStream(entry, (streamError, stream) => {
            if (streamError || !stream) {
              fail(new ZipError('unreadable', streamError?.message ?? 'unreadable entry'));
              return;
            }
            const chunks: Buffer[] = [];
            stream.on('data', (chunk: Buffer) => {
              unpacked += chunk.length;
              if (unpacked > options.maxUnpackedBytes) {
                stream.destroy();
                fail(tooBig());
                return;
              }
              chunks.push(chunk);
            });
            stream.on('error', (e: Error) =>
              fail(
                /too many bytes|too few bytes/.test(e.message)
                  ? tooBig()
                  : new ZipError('unreadable', e.message),
              ),
            );
            stream.on('end', () => {
              if (settled) return;
              files.set(entry.fileName, Buffer.concat(chunks));
              zipFile.readEntry();
            });
          });
        });
        zipFile.readEntry();
      },
    );
  });
}

export interface ZipEntry {
  /** The path inside the archive, with forward slashes ("manifest.json"). */
  readonly name: string;
  readonly data: Buffer;
}

/** 1 January 1980, the earliest date a ZIP entry can carry: the same files always give the same bytes. */
const FIXED_TIME = new Date(1980, 0, 1);

/** Writes a ZIP archive (deflated entries, one fixed timestamp, so that the output is reproducible). */
export function writeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const names = new Set<string>();
  const archive = new yazl.ZipFile();
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith('/') || entry.name.includes('\\')) {
      throw new Error(`"${entry.name}" cannot be a name inside a ZIP file.`);
    }
    if (names.has(entry.name)) throw new Error(`"${entry.name}" is in the ZIP file twice.`);
    names.add(entry.name);
    archive.addBuffer(entry.data, entry.name, {
      mtime: FIXED_TIME,
      forceDosTimestamp: true,
      compressionLevel: 9,
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (c: Buffer) => chunks.push(c));
    archive.outputStream.on('error', reject);
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.end();
  });
}
