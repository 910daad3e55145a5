// The load-time filter in the browser benchmark (scripts/bench-browser.mjs --days K).
//
// The bench's 500 AWS-layout files span seven or eight days, three accounts and several regions,
// so the app offers its "Choose what to read" panel before reading them. `choose` answers it:
// *Read everything* for a full load, or, with `days`, the first K days that have files and
// *Read selected*. Either way the load is timed from that click (window.__bench.t0 is set by a
// capture listener on the button, replacing the time of the picker's change event).

const tid = (id) => `[data-testid="${id}"]`;

/**
 * After the files are given to the picker: waits for the panel or for the load to start. When
 * the panel shows, keeps `days` days (all when null) and clicks. Returns
 * { panel, dates (the kept days, null for all), filesKept, filesTotal }.
 */
export async function choose(page, { days = null, timeoutMs = 120_000 } = {}) {
  const handle = await page.waitForFunction((sel) => document.querySelector(sel.panel) || document.querySelector(sel.progress)
    || Number(document.querySelector(sel.loaded)?.textContent.replace(/[^0-9]/g, '') ?? 0) > 0,
  { panel: tid('load-choice'), progress: tid('progress'), loaded: tid('loaded-count') }, { timeout: timeoutMs, polling: 10 });
  await handle.dispose();
  if (!(await page.$(tid('load-choice')))) {
    if (days) throw new Error('--days: the app read the files without offering a choice');
    return { panel: false, dates: null, filesKept: null, filesTotal: null };
  }
  let dates = null;
  if (days) {
    const all = await page.$$eval(`${tid('choice-day')}`, (els) => els
      .filter((e) => !/^0 files/.test(e.querySelector('.day-size')?.textContent ?? ''))
      .map((e) => e.dataset.day));
    if (days > all.length) throw new Error(`--days ${days}: the files span only ${all.length} days`);
    dates = all.slice(0, days);
    await page.click(`${tid('choice-day')}[data-day="${dates[0]}"]`);
    if (days > 1) await page.click(`${tid('choice-day')}[data-day="${dates[days - 1]}"]`, { modifiers: ['Shift'] });
  }
  const summary = (await page.textContent(tid('choice-summary'))) ?? '';
  const m = summary.match(/Reading ([\d,]+) of ([\d,]+) files/);
  const num = (s) => Number(String(s).replace(/,/g, ''));
  const button = days ? 'read-selected' : 'read-everything';
  await page.evaluate((sel) => {
    document.addEventListener('click', (e) => {
      if (e.target.closest?.(sel)) window.__bench.t0 = performance.now();
    }, { capture: true });
  }, tid(button));
  await page.click(tid(button));
  return { panel: true, dates, filesKept: m ? num(m[1]) : null, filesTotal: m ? num(m[2]) : null };
}

/** The paths of `files` (AWS layout) that lie in `dates` (all when null). */
export function inDates(files, dates) {
  if (!dates) return files;
  const folders = dates.map((d) => `/${d.replace(/-/g, '/')}/`);
  return files.filter((p) => folders.some((f) => p.includes(f)));
}
