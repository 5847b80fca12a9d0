// The Docusaurus recipe: a docs site under a sub-path (/ops-docs/). `npm run test:recipes` drives
// it on the dev server and as a production build, with client-side navigation and the dark toggle.
const baseUrl = '/ops-docs/';

/** @type {import('@docusaurus/types').Config} */
export default {
  title: 'Ops docs',
  url: 'https://docs.example.org',
  baseUrl,
  onBrokenLinks: 'throw',
  // The module goes in the page's <head> through `scripts`, never as a <script> in Markdown:
  // React does not run scripts it renders, so a tag in a page works only on a hard reload.
  // Copy the release folder's files to static/arc-triage/.
  scripts: [{ src: `${baseUrl}arc-triage/arc-triage.js`, type: 'module' }],
  i18n: { defaultLocale: 'en', locales: ['en'] },
  presets: [
    [
      'classic',
      {
        docs: { routeBasePath: '/', sidebarPath: './sidebars.js' },
        blog: false,
        pages: false,
      },
    ],
  ],
  themeConfig: {
    navbar: { title: 'Ops docs', items: [{ type: 'doc', docId: 'intro', label: 'Docs', position: 'left' }] },
  },
};
