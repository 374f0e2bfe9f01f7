// Drive Kith's HTML viewer in headless Chromium (puppeteer-core, the browser from
// $CHROMIUM or /usr/bin/chromium) the way a person would, and print what happened as JSON:
// console errors, dialogs opened (alert), entities and relations drawn, the search
// results for QUERY, the panel after a real mouse click on the first result's node, the
// evidence shown after clicking one of its relations, and the load time.
// Usage: node viewer_check.mjs PAGE.html SCREENSHOT.png [QUERY]
import puppeteer from 'puppeteer-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page_file, screenshot, query] = process.argv.slice(2);
if (!page_file || !screenshot) {
  console.error('usage: node viewer_check.mjs PAGE.html SCREENSHOT.png [QUERY]');
  process.exit(2);
}
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // No sandbox: test machines run as root; the page is a local file we wrote.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const out = { errors: [], dialogs: [], requests: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  page.on('dialog', async (d) => { out.dialogs.push(d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) out.requests.push(r.url()); });
  const started = Date.now();
  await page.goto(pathToFileURL(resolve(page_file)).href, { waitUntil: 'load', timeout: 300000 });
  await page.waitForFunction(() => window.kithViewer && window.kithViewer.ready(), { timeout: 300000 });
  out.load_ms = Date.now() - started;
  Object.assign(out, await page.evaluate(() => ({
    entities: kithViewer.cy.nodes().length,
    relations: kithViewer.cy.edges().length,
    shown_entities: kithViewer.shownEntities(),
    count_text: document.getElementById('count').textContent,
    pwned: window.__pwned === true || window.__pwned === 1,
    scripts: document.scripts.length,
  })));
  // The filters, clicked: one entity type off; entities without visible relations hidden;
  // then no predicate at all (so, with that, no entity either); then back to everything.
  const shownNow = () => page.evaluate(() => [kithViewer.shownEntities(), kithViewer.shownRelations()]);
  const firstType = await page.$eval('#types input', (box) => box.value);
  await page.click('#types input');
  out.filters = { type: firstType, type_off: await shownNow() };
  await page.click('#types input');
  await page.click('#isolated');
  out.filters.isolated_hidden = await shownNow();
  await page.click('#no-predicates');
  out.filters.no_predicates = await shownNow();
  await page.click('#all-predicates');
  await page.click('#isolated');
  out.filters.restored = await shownNow();
  if (query) {
    await page.type('#search', query);
    out.matches = await page.$$eval('#matches li', (lis) => lis.map((li) => li.textContent));
    // The ids of the matches, best first.
    out.found = await page.$$eval('#matches li', (lis) => lis.map((li) => li.dataset.id));
    // Close the list, centre the first match and click it with the mouse, as a person would.
    await page.keyboard.press('Escape');
    const target = out.found[0];
    if (target) {
      const at = await page.evaluate((id) => {
        const cy = kithViewer.cy;
        const node = cy.getElementById(id);
        cy.zoom(1.5);
        cy.center(node);
        const p = node.renderedPosition();
        const box = document.getElementById('cy').getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      }, target);
      await page.mouse.click(at.x, at.y);
      out.clicked = target;
      out.panel_title = await page.$eval('#panel h3', (h) => h.textContent).catch(() => null);
      out.panel_text = await page.$eval('#panel', (p) => p.innerText);
      // Open the first relation listed in the panel (its predicate link).
      const links = await page.$$('#panel ul.relations li a:nth-of-type(2)');
      if (links.length) {
        await links[0].click();
        out.evidence = await page.$$eval('#panel blockquote.evidence', (qs) => qs.map((q) => q.textContent));
        out.marks = await page.$$eval('#panel blockquote.evidence mark', (ms) => ms.map((m) => [m.className, m.textContent]));
        out.relation_title = await page.$eval('#panel h3', (h) => h.textContent);
      }
    }
  }
  await page.screenshot({ path: screenshot });
  out.pwned = out.pwned || await page.evaluate(() => window.__pwned === true || window.__pwned === 1);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
