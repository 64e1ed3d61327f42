// `node --import tsx scripts/render-icon.ts`: draws media/icon.svg as the 128×128 PNG the Marketplace
// shows (media/icon.png), with the same Debian Chromium the e2e tests drive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/e2e/harness/paths';

const media = path.join(__dirname, '..', 'media');

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    const svg = fs.readFileSync(path.join(media, 'icon.svg'), 'utf8');
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(media, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

void main();
