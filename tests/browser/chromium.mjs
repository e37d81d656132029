// chromium.mjs - one way to start Debian's chromium for every browser test
// and the search benchmark: the project's flags (no background networking:
// this machine's network is closed), a fresh profile, never a downloaded
// browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A browser with a fresh temporary profile (playwright makes and removes it).
async function playwright() {
  return (await import('playwright-core').catch(() => {
    throw new Error('playwright-core is not installed: run npm ci in the repo root');
  })).chromium;
}

export async function launchBrowser() {
  const chromium = await playwright();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A persistent context in a new profile folder; close() also removes the folder.
export async function launchContext() {
  const chromium = await playwright();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-chromium-'));
  const context = await chromium.launchPersistentContext(userDir,
    { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  return context;
}
