// Rewrites the README's screenshots (tests/screenshots/*.png) from the release build in dist/:
// the built-in sample with the incident found (light and dark), the per-service overview, and the
// Identities view with the leaked key's chain into two more accounts.
//   scripts/build && node scripts/readme-screenshots.mjs
import { join } from 'node:path';
import { ROOT, launch, openApp, tid, waitLoaded, search, waitRows } from '../tests/e2e/harness.mjs';

const DIR = join(ROOT, 'tests', 'screenshots');
const viewport = { width: 1440, height: 860 };
const browser = await launch();
try {
  for (const [name, colorScheme] of [['sample-incident', 'light'], ['sample-dark', 'dark']]) {
    const app = await openApp(browser, { viewport, colorScheme });
    try {
      const { page } = app;
      await page.click(tid('load-sample'));
      await waitLoaded(page);
      await search(page, 'ip:185.220.101.47');
      // The story's events from that address (the count is the sample's, not written here).
      await page.waitForFunction((sel) => Number(document.querySelector(sel)?.textContent.replace(/[^0-9]/g, '')) < 1000,
        tid('match-count'));
      await waitRows(page);
      await page.locator(tid('event-row')).nth(3).click();
      await page.locator(tid('event-detail')).waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(DIR, `${name}.png`) });
    } finally { await app.close(); }
  }
  const app = await openApp(browser, { viewport });
  try {
    const { page } = app;
    await page.click(tid('load-sample'));
    await waitLoaded(page);
    await page.click(tid('tab-services'));
    await page.locator(tid('service-card')).first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DIR, 'sample-services.png') });
    await page.click(tid('tab-identities'));
    const svc = page.locator(`${tid('identity')}[data-origin="arn:aws:iam::123456789012:user/svc-deploy"]`);
    await svc.waitFor();
    await svc.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(DIR, 'sample-identities.png') });
  } finally { await app.close(); }
} finally { await browser.close(); }
console.log(`wrote ${DIR}/sample-incident.png, sample-dark.png, sample-services.png, sample-identities.png`);
