import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The README and docs/*.md stay true to the repository: every relative link and picture leads to
 * a file that exists (and to a heading of it, when it names one), the README stays a five-minute
 * read, and the folder trees drawn in the README and docs/ARCHITECTURE.md are the folders of src/.
 * Moving a file or a section fails here until the pages that point at it follow.
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text of a page outside its fenced code blocks, where links are only text. */
const prose = (markdown: string): string => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** Every `[text](target)` and `![alt](target)` of a page, but links to other sites. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The anchors of a page's headings, made as GitHub makes them (a repeated one gets -1, -2…). */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const times = seen.get(slug) ?? 0;
    seen.set(slug, times + 1);
    anchors.add(times === 0 ? slug : `${slug}-${times}`);
  }
  return anchors;
}

describe('links in the README and docs/*.md', () => {
  it('finds the pages and their links (a check of the search itself)', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/CONFIGURATION.md']));
    expect(relativeLinks(read('README.md'))).toContain('docs/CONFIGURATION.md');
    expect(anchorsOf('## Wiring: what builds what\n## `--as-of`\n## A\n## A\n')).toEqual(
      new Set(['wiring-what-builds-what', '--as-of', 'a', 'a-1']),
    );
  });

  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    const broken = relativeLinks(read(page)).filter((link) => {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), path);
      if (!existsSync(target)) return true;
      if (anchor === undefined || !target.endsWith('.md')) return false;
      return !anchorsOf(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor));
    });
    expect(broken).toEqual([]);
  });
});

describe('the README', () => {
  it('is a five-minute read: at most 10 KB', () => {
    expect(Buffer.byteLength(read('README.md'), 'utf8')).toBeLessThanOrEqual(10 * 1024);
  });
});

/** Every folder under src/, as paths relative to it ("app", "app/commands", …). */
function foldersOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .flatMap((name) => [name, ...foldersOf(join(dir, name)).map((sub) => `${name}/${sub}`)]);
}

/** The `.ts` files at the top of src/. */
const rootFiles = (): string[] =>
  readdirSync(join(ROOT, 'src')).filter((name) => name.endsWith('.ts'));

/**
 * The tree a page draws in the fenced block that starts with `src/`: its folders (each a line
 * `<indent>name/`, two spaces a level) and the `.ts` files named at its top level.
 */
function drawnTree(markdown: string): { folders: string[]; files: string[] } {
  const block = /^```[^\n]*\n(src\/\n[\s\S]*?)^```$/m.exec(markdown)?.[1];
  if (block === undefined) throw new Error('No tree starting with src/');
  const folders: string[] = [];
  const files: string[] = [];
  const path: string[] = [];
  for (const line of block.split('\n').slice(1)) {
    const folder = /^( *)([\w.-]+)\/(?:\s|$)/.exec(line);
    const depth = folder ? folder[1]!.length / 2 : -1;
    if (folder && depth === 0) break; // the next top-level folder: src/ is over
    if (folder) {
      path.length = depth - 1;
      path.push(folder[2]!);
      folders.push(path.join('/'));
    } else if (/^ {2}[\w-]+\.ts\b/.test(line)) {
      files.push(...(line.match(/\b[\w-]+\.ts\b/g) ?? []));
    }
  }
  return { folders, files };
}

describe.each(['README.md', 'docs/ARCHITECTURE.md'])('the folder tree in %s', (page) => {
  const tree = drawnTree(read(page));

  it('has every folder of src/, and none that is not there', () => {
    expect([...tree.folders].sort()).toEqual(foldersOf(join(ROOT, 'src')).sort());
  });

  it('names every file at the top of src/', () => {
    expect([...tree.files].sort()).toEqual(rootFiles().sort());
  });
});

/** The numbered steps of the README's reading path, each with the text of the files it names. */
function readingPathSteps(): { step: string; files: string[] }[] {
  const section = read('README.md').split('\n## Reading path')[1]?.split('\n## ')[0] ?? '';
  return section
    .split(/\n(?=\d+\. )/)
    .filter((step) => /^\d+\. /.test(step))
    .map((step) => ({
      step,
      files: [...step.matchAll(/`((?:src\/)?[\w-]+(?:\/[\w.-]+)+)`/g)].map((m) =>
        m[1]!.startsWith('src/') ? m[1]! : `src/${m[1]!}`,
      ),
    }));
}

describe('the README’s reading path', () => {
  const steps = readingPathSteps();

  it('has its steps, each naming the files it walks through', () => {
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(steps.filter(({ files }) => files.length === 0).map(({ step }) => step)).toEqual([]);
  });

  it('names only files that exist', () => {
    const missing = steps.flatMap(({ files }) => files).filter((f) => !existsSync(join(ROOT, f)));
    expect(missing).toEqual([]);
  });

  it('names only functions and types found in the files of the same step', () => {
    const unfound = steps.flatMap(({ step, files }) => {
      const code = files
        .filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile())
        .map((f) => readFileSync(join(ROOT, f), 'utf8'))
        .join('\n');
      return [...step.matchAll(/`([A-Za-z_][\w.]*?)(?:\(\))?`/g)]
        .map((m) => m[1]!.split('.').pop()!)
        .filter((name) => !/^(ts|json)$/.test(name))
        .filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
    });
    expect(unfound).toEqual([]);
  });
});
