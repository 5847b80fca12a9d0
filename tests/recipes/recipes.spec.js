// The embedding recipes of the README, each a small site in examples/ built with the real
// generator (installed by scripts/recipes.sh) and driven in Chromium as a reader would use it:
// the widget renders on a direct load and after the site's own client-side navigation, it
// diagnoses a paste, the row-only embed shows its row, and the widget follows the site's dark
// toggle. Every request the pages make is recorded: all must go to the site's own origin, the
// engine (.wasm) is fetched once per full page load, and using the widget makes no request.
import { test as base, expect } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from './static-server.mjs';

const root = path.resolve('.');
const examples = path.join(root, 'examples');
const PORT = Number(process.env.ARC_TRIAGE_TEST_PORT ?? 8181);
const SAMPLE =
  "Error: The subscription is not registered to use namespace 'Microsoft.HybridCompute'. See https://aka.ms/rps-not-found for how to register subscriptions.";
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(13, 17, 23)';

/** The release folder `npm run build` wrote (dist/release/arc-triage-<version>/). */
function releaseFolder() {
  const releases = path.join(root, 'dist', 'release');
  const found = fs.existsSync(releases) ? fs.readdirSync(releases).filter((f) => fs.statSync(path.join(releases, f)).isDirectory()) : [];
  if (found.length !== 1) throw new Error(`expected one release folder in dist/release, found ${found.length}: run npm run build`);
  return path.join(releases, found[0]);
}

/** What a docs maintainer copies: the module, the engine and the offline file. */
function copyWidget(dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const from = releaseFolder();
  for (const f of fs.readdirSync(from).filter((f) => f === 'arc-triage.js' || f === 'arc-triage.html' || f.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(from, f), path.join(dest, f));
  }
}

/** Runs a generator's build; its output is shown only if it fails. */
function run(cwd, command, args, env = {}) {
  try {
    execFileSync(command, args, { cwd, stdio: 'pipe', env: { ...process.env, FORCE_COLOR: '0', ...env } });
  } catch (e) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${String(e.stdout).slice(-3000)}\n${String(e.stderr).slice(-3000)}`);
  }
}

/** Starts a generator's dev server and waits until it answers `url` with 200. */
async function devServer(cwd, command, args, url) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited:\n${output.slice(-2000)}`);
    try {
      const res = await fetch(url);
      if (res.ok) return { stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
}

const test = base.extend({
  // Every element's shadow root opened, also for elements the site's framework creates after
  // load (a MutationObserver would come too late for those): Playwright's locators need it.
  page: async ({ page }, use) => {
    await page.addInitScript(() => {
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        return attach.call(this, this.localName === 'arc-triage' ? { ...init, mode: 'open' } : init);
      };
    });
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // Errors, and warnings that name the element (Vue's "Failed to resolve component").
      if ((m.type() === 'error' || m.type() === 'warning') && /arc-triage/i.test(m.text())) errors.push(m.text());
    });
    page.requests = requests;
    await use(page);
    expect(errors, 'page errors, and console errors or warnings about arc-triage').toEqual([]);
  },
});

/** Checks a page the widget is on: both elements render, the row-only one shows its row. */
async function widgetRenders(page) {
  const triage = page.locator('arc-triage#triage');
  await expect(triage.locator('.version')).toHaveText(/^Rule set \d{4}\.\d{2}\.\d{2}/);
  await expect(triage.locator('textarea.log')).toBeVisible();
  // Sized from the text around it, whatever the theme's root font size (Material's is 20px).
  const sizes = await triage.evaluate((host) => {
    const size = (sel) => parseFloat(getComputedStyle(host.shadowRoot.querySelector(sel)).fontSize);
    const text = parseFloat(getComputedStyle(host).fontSize);
    return { text, widget: size('.widget'), label: size('.log-label'), button: size('button.open'), privacy: size('.privacy') };
  });
  expect(sizes.widget, "the widget's text is the host's").toBeCloseTo(sizes.text, 3);
  expect(sizes.button / sizes.label).toBeCloseTo(0.9, 3);
  expect(sizes.privacy / sizes.label).toBeCloseTo(0.85, 3);
  const row = page.locator('arc-triage#row');
  await row.scrollIntoViewIfNeeded();
  await expect(row.locator('article.diagnosis')).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(row.locator('article.diagnosis')).toHaveAttribute('data-confidence', 'row');
  await expect(row.locator('textarea.log')).toBeHidden();
  await expect(row.locator('button.copy-link')).toHaveCount(0);
  // The fallback text inside the element is not shown once it has upgraded.
  // (Light-DOM children of a shadow host without a slot get no box at all.)
  const fallbackBoxes = await page.locator('arc-triage#triage').evaluate((host) => {
    const range = document.createRange();
    range.selectNodeContents(host);
    return range.getClientRects().length;
  });
  expect(fallbackBoxes, 'boxes of the fallback content').toBe(0);
}

/** Pastes a log and expects its row; no request of any kind while doing so. */
async function diagnosesPaste(page) {
  const triage = page.locator('arc-triage#triage');
  const before = page.requests.length;
  await triage.locator('textarea.log').fill(SAMPLE);
  await expect(triage.locator('article.diagnosis').first()).toHaveAttribute('data-rule-id', 'provider-not-registered');
  expect(page.requests.slice(before), 'requests made while diagnosing a paste').toEqual([]);
}

const background = (page) =>
  page.locator('arc-triage#triage').evaluate((host) => getComputedStyle(host.shadowRoot.querySelector('.widget')).backgroundColor);

/** The site's own dark toggle turns the widget dark (it has no theme attribute). */
async function followsDarkToggle(page, toggle, isDark) {
  expect(await background(page)).toBe(LIGHT);
  for (let i = 0; i < 3 && !(await isDark()); i++) await toggle();
  expect(await isDark(), 'the site is dark').toBe(true);
  await expect.poll(() => background(page)).toBe(DARK);
}

/**
 * Only the site's own origin, and the engine once per full page load. A `blob:` URL of the same
 * origin is the engine's worker, made from the page's own script (not a network request).
 */
function onlyOwnOrigin(page, origin, loads) {
  const own = (u) => u.startsWith(`${origin}/`) || u.startsWith(`blob:${origin}/`) || u.startsWith('data:');
  const foreign = page.requests.filter((u) => !own(u));
  expect(foreign, 'requests to another origin').toEqual([]);
  expect(page.requests.filter((u) => u.endsWith('.wasm')), 'fetches of the engine').toHaveLength(loads);
}

/** A page that loads the module but holds no element has not fetched the engine. */
async function noEngineYet(page) {
  await expect
    .poll(() => page.evaluate(() => customElements.get('arc-triage') !== undefined), { message: 'the module, loaded on every page, defined <arc-triage>' })
    .toBe(true);
  expect(page.requests.filter((u) => u.endsWith('.wasm')), 'the engine fetched by a page without the widget').toEqual([]);
}

/** Marks the document, so a test can tell client-side navigation from a full load. */
const mark = (page) => page.evaluate(() => (window.__recipeMark = true));
const marked = (page) => page.evaluate(() => window.__recipeMark === true);

test.describe.configure({ mode: 'serial' });

test.describe('plain HTML', () => {
  let site;
  test.beforeAll(async () => {
    const dir = path.join(examples, 'html');
    copyWidget(path.join(dir, 'arc-triage'));
    site = await serveStatic(dir, { base: '/ops-docs/', port: PORT + 1 });
  });
  test.afterAll(() => site?.close());

  test('renders, diagnoses, follows the page colour scheme, only the own origin', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${site.url}index.html`);
    await widgetRenders(page);
    await diagnosesPaste(page);
    await followsDarkToggle(
      page,
      () => page.emulateMedia({ colorScheme: 'dark' }),
      () => page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
    );
    onlyOwnOrigin(page, site.origin, 1);
  });
});

test.describe('MkDocs Material, built, under a sub-path, instant navigation', () => {
  let site;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const dir = path.join(examples, 'mkdocs');
    copyWidget(path.join(dir, 'docs', 'arc-triage'));
    run(dir, path.join(dir, '.venv', 'bin', 'mkdocs'), ['build', '--strict', '--clean'], { SITE_URL: `http://127.0.0.1:${PORT + 2}/ops-docs/`, NO_MKDOCS_2_WARNING: '1' });
    site = await serveStatic(path.join(dir, 'site'), { base: '/ops-docs/', port: PORT + 2 });
  });
  test.afterAll(() => site?.close());

  test('direct load, then the dark toggle', async ({ page }) => {
    await page.goto(`${site.url}troubleshoot/arc/`);
    await widgetRenders(page);
    await diagnosesPaste(page);
    await followsDarkToggle(
      page,
      () => page.locator('label.md-header__button[title="Switch to dark mode"]').click(),
      () => page.evaluate(() => document.body.dataset.mdColorScheme === 'slate'),
    );
    onlyOwnOrigin(page, site.origin, 1);
  });

  test('instant navigation from the home page, and back', async ({ page }) => {
    await page.goto(site.url);
    await noEngineYet(page);
    await mark(page);
    await page.locator('.md-content a', { hasText: 'Troubleshoot Azure Arc' }).click();
    await expect(page).toHaveURL(/\/ops-docs\/troubleshoot\/arc\/$/);
    await widgetRenders(page);
    expect(await marked(page), 'Material navigated without a full load').toBe(true);
    await diagnosesPaste(page);
    await page.goBack();
    await page.locator('.md-content a', { hasText: 'Troubleshoot Azure Arc' }).click();
    await widgetRenders(page);
    expect(await marked(page)).toBe(true);
    onlyOwnOrigin(page, site.origin, 1);
  });
});

for (const mode of ['build', 'dev']) {
  test.describe(`Docusaurus, ${mode === 'build' ? 'production build' : 'dev server'}, under a sub-path`, () => {
    let site;
    test.beforeAll(async () => {
      test.setTimeout(600_000);
      const dir = path.join(examples, 'docusaurus');
      copyWidget(path.join(dir, 'static', 'arc-triage'));
      const bin = path.join(dir, 'node_modules', '.bin', 'docusaurus');
      if (mode === 'build') {
        run(dir, bin, ['build'], { FORCE_COLOR: '0' });
        site = await serveStatic(path.join(dir, 'build'), { base: '/ops-docs/', port: PORT + 3 });
      } else {
        const port = PORT + 4;
        const server = await devServer(dir, bin, ['start', '--port', String(port), '--host', '127.0.0.1', '--no-open'], `http://127.0.0.1:${port}/ops-docs/`);
        site = { origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}/ops-docs/`, close: server.stop };
      }
    });
    test.afterAll(() => site?.close());

    test('direct load, then the dark toggle', async ({ page }) => {
      await page.goto(`${site.url}arc`);
      await widgetRenders(page);
      await diagnosesPaste(page);
      await followsDarkToggle(
        page,
        () => page.locator('.navbar button[title*="mode" i]').click(),
        () => page.evaluate(() => document.documentElement.dataset.theme === 'dark'),
      );
      onlyOwnOrigin(page, site.origin, 1);
    });

    test('client-side navigation through the sidebar, and back', async ({ page }) => {
      await page.goto(site.url);
      await noEngineYet(page);
      await mark(page);
      await page.locator('nav.menu a', { hasText: 'Troubleshoot Azure Arc' }).click();
      await expect(page).toHaveURL(/\/ops-docs\/arc\/?$/);
      await widgetRenders(page);
      expect(await marked(page), 'Docusaurus navigated without a full load').toBe(true);
      await diagnosesPaste(page);
      await page.locator('nav.menu a', { hasText: 'Introduction' }).click();
      await page.locator('nav.menu a', { hasText: 'Troubleshoot Azure Arc' }).click();
      await widgetRenders(page);
      expect(await marked(page)).toBe(true);
      onlyOwnOrigin(page, site.origin, 1);
    });
  });
}

for (const mode of ['build', 'dev']) {
  test.describe(`VitePress, ${mode === 'build' ? 'build' : 'dev server'}, base /ops-docs/`, () => {
    let site;
    test.beforeAll(async () => {
      test.setTimeout(300_000);
      const dir = path.join(examples, 'vitepress');
      copyWidget(path.join(dir, 'docs', 'public', 'arc-triage'));
      const bin = path.join(dir, 'node_modules', '.bin', 'vitepress');
      if (mode === 'build') {
        run(dir, bin, ['build', 'docs']);
        site = await serveStatic(path.join(dir, 'docs', '.vitepress', 'dist'), { base: '/ops-docs/', port: PORT + 5 });
      } else {
        const port = PORT + 6;
        const server = await devServer(dir, bin, ['dev', 'docs', '--port', String(port), '--host', '127.0.0.1', '--strictPort'], `http://127.0.0.1:${port}/ops-docs/`);
        site = { origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}/ops-docs/`, close: server.stop };
      }
    });
    test.afterAll(() => site?.close());

    const isDark = (page) => page.evaluate(() => document.documentElement.classList.contains('dark'));

    test('direct load, then the appearance toggle', async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(`${site.url}arc${mode === 'build' ? '.html' : ''}`);
      await widgetRenders(page);
      await diagnosesPaste(page);
      await followsDarkToggle(page, () => page.locator('.VPNavBar button.VPSwitchAppearance:visible').click(), () => isDark(page));
      onlyOwnOrigin(page, site.origin, 1);
    });

    test('client-side navigation through the sidebar, and back', async ({ page }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(site.url);
      await noEngineYet(page);
      await mark(page);
      await page.locator('.VPSidebar a', { hasText: 'Troubleshoot Azure Arc' }).click();
      await expect(page).toHaveURL(/\/ops-docs\/arc(\.html)?$/);
      await widgetRenders(page);
      expect(await marked(page), 'VitePress navigated without a full load').toBe(true);
      await diagnosesPaste(page);
      await page.locator('.VPSidebar a', { hasText: 'Home' }).click();
      await page.locator('.VPSidebar a', { hasText: 'Troubleshoot Azure Arc' }).click();
      await widgetRenders(page);
      expect(await marked(page)).toBe(true);
      onlyOwnOrigin(page, site.origin, 1);
    });
  });
}
