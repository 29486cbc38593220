// tests/web/browser.cjs - `mailtls serve` in a real browser (headless
// Chromium driven by playwright-core): submit the form for a lab domain,
// wait for the result, check the grade and a finding; open /stats and
// check that the charts are drawn; open a hostile server's page and check
// that its markup stays text.  Screenshots (desktop and phone) go to
// ARTIFACTS.  Any Content-Security-Policy violation or script dialog fails.
//
//   node browser.cjs BASE_URL DOMAIN GRADE FINDING EVIL_DOMAIN ARTIFACTS
//
// playwright-core comes from MAILTLS_NPM (scripts/deps.sh installs it
// into /var/cache/mailtls-lab/npm); Chromium is Debian's /usr/bin/chromium.
'use strict';
const path = require('path');
const npm = process.env.MAILTLS_NPM || '/var/cache/mailtls-lab/npm';
const { chromium } = require(path.join(npm, 'node_modules', 'playwright-core'));

const [base, domain, grade, finding, evil, artifacts] = process.argv.slice(2);

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}

async function watch(page, problems) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text()))
      problems.push('console: ' + m.text());
  });
  page.on('dialog', async (d) => {
    problems.push('a script ran: dialog "' + d.message() + '"');
    await d.dismiss();
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const problems = [];
  try {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }],
                                    ['phone', { width: 390, height: 844 }]]) {
      const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await ctx.newPage();
      await watch(page, problems);

      // The form: type the domain, submit, land on /check/DOMAIN.
      await page.goto(base + '/');
      await page.fill('input#domain', domain);
      await Promise.all([page.waitForURL('**/check/' + domain),
                         page.click('form.check button[type=submit]')]);
      if (name === 'desktop')
        await page.screenshot({ path: path.join(artifacts, 'progress-' + name + '.png') });
      // The progress page reloads itself until the result is there.
      const badge = page.locator('.summary .grade');
      await badge.waitFor({ timeout: 120000 });
      const shown = (await badge.textContent()).trim();
      if (shown !== grade)
        fail(`${name}: grade shown "${shown}", expected "${grade}"`);
      const f = page.locator('.finding .fid', { hasText: finding });
      if (await f.count() === 0)
        fail(`${name}: finding ${finding} is not shown`);
      if (!(await f.first().isVisible()))
        fail(`${name}: finding ${finding} is not visible`);
      await page.screenshot({ path: path.join(artifacts, 'report-' + name + '.png'), fullPage: true });

      // Statistics: the charts are SVG drawn by the server.
      await page.goto(base + '/stats');
      const bars = page.locator('svg.chart rect.bar');
      if (await bars.count() === 0)
        fail(`${name}: /stats has no chart bars`);
      const box = await page.locator('svg.chart').first().boundingBox();
      if (box === null || box.width < 200 || box.height < 50)
        fail(`${name}: the chart is not rendered (box ${JSON.stringify(box)})`);
      await page.screenshot({ path: path.join(artifacts, 'stats-' + name + '.png'), fullPage: true });
      await ctx.close();
    }

    // A hostile banner: shown as text, never run.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await watch(page, problems);
    await page.goto(base + '/check/' + evil);
    await page.locator('.summary .grade').waitFor({ timeout: 120000 });
    const banner = await page.locator('.sec-smtp').first().textContent();
    if (!banner.includes('<script>alert(1)</script>'))
      fail('the hostile banner is not shown as text');
    if (await page.locator('main script, main img').count() !== 0)
      fail('the hostile banner became markup');
    await page.screenshot({ path: path.join(artifacts, 'evil-banner.png'), fullPage: true });
    await ctx.close();
  } finally {
    await browser.close();
  }
  if (problems.length > 0)
    fail(problems.join('\n'));
  console.log('browser: ok');
})().catch((e) => fail(e.stack || String(e)));
