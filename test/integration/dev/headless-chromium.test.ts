import { access, constants } from 'node:fs/promises';
import { chooseChromium, launchHeadlessChromium } from '../../../src/dev/headless-chromium.js';

/**
 * The browser tests and the card pictures need a Chromium on a machine with only Node and npm:
 * the system's when there is one, else the one in the @sparticuz/chromium package. Both ways are
 * tried here whatever this machine has.
 */
describe('headless Chromium', () => {
  const NOWHERE = '/nonexistent/chromium';

  it('takes CHROMIUM_PATH first, and says so when it names nothing', async () => {
    const named = await chooseChromium({ CHROMIUM_PATH: process.execPath }, NOWHERE);
    expect(named).toMatchObject({ executablePath: process.execPath, source: 'CHROMIUM_PATH' });
    await expect(chooseChromium({ CHROMIUM_PATH: NOWHERE }, process.execPath)).rejects.toThrow(
      `CHROMIUM_PATH names ${NOWHERE}, which does not exist.`,
    );
  });

  it('takes the system Chromium when there is one', async () => {
    const system = await chooseChromium({}, process.execPath);
    expect(system).toMatchObject({ executablePath: process.execPath, source: 'system' });
  });

  it('otherwise unpacks the packaged Chromium, which draws a page', async () => {
    const packaged = await chooseChromium({}, NOWHERE);
    expect(packaged.source).toBe('@sparticuz/chromium');
    await access(packaged.executablePath, constants.X_OK);
    const browser = await launchHeadlessChromium(packaged);
    try {
      const page = await browser.newPage();
      await page.setContent('<h1>Action 5.2</h1><p>In progress</p>');
      expect(await page.locator('p').textContent()).toBe('In progress');
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});
