// The VitePress recipe: a docs site under a sub-path (`base: '/ops-docs/'`). `npm run test:recipes`
// drives it on the dev server and as a build, with client-side navigation and the appearance toggle.
const base = '/ops-docs/';

export default {
  base,
  title: 'Ops docs',
  // The module goes in the page's <head>, never as a <script> in Markdown: VitePress compiles each
  // page as a Vue component, and a <script> there becomes the component's code (the build fails).
  // Entries in `head` are written as given, so the address carries `base` itself.
  // Copy the release folder's files to docs/public/arc-triage/.
  head: [['script', { type: 'module', src: `${base}arc-triage/arc-triage.js` }]],
  // Tell Vue that <arc-triage> is a custom element, not a component it should resolve.
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag === 'arc-triage' } } },
  themeConfig: {
    nav: [{ text: 'Troubleshoot Azure Arc', link: '/arc' }],
    sidebar: [{ text: 'Home', link: '/' }, { text: 'Troubleshoot Azure Arc', link: '/arc' }],
  },
};
