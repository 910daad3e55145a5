// Rewrites the README's screenshots (tests/screenshots/*.png) from the release build in dist/:
// the built-in sample with the incident found (light and dark) and the per-service overview.
//   scripts/build && node scripts/readme-screenshots.mjs
import { join } from 'node:path';
import { ROOT, launch, openApp, tid, waitLoaded, search, waitCount } from '../tests/e2e/harness.mjs';

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
      await waitCount(page, 75);
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
  } finally { await app.close(); }
} finally { await browser.close(); }
console.log(`wrote ${DIR}/sample-incident.png, sample-dark.png, sample-services.png`);
