import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

/**
 * The files a multipart parser (formidable) leaves in the system temp folder: `upload_<hex>`.
 * TMPDIR cannot be pointed elsewhere for a server inside a jest worker (os.tmpdir() reads the
 * real environment, jest gives each test file a copy), so the folder itself is watched: `created`
 * lists the upload files that appeared since `watchTempUploads` was called.
 */
export function watchTempUploads(): { readonly folder: string; created(): string[] } {
  const folder = tmpdir();
  const uploads = () => readdirSync(folder).filter((name) => name.startsWith('upload_'));
  const before = new Set(uploads());
  return { folder, created: () => uploads().filter((name) => !before.has(name)) };
}
