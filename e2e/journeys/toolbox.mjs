// Keyboard-only, JavaScript-off journey in the toolbox: a visitor searches
// with words typed without accents, opens the demo's welcome checklist,
// switches to its easy-read version and finds its PDF, which downloads as
// an attachment with its real type. It gets what run.mjs lends it: its
// `test`, `newContext` and the server's `base`.

import { tabTo } from './focus.mjs';

const follow = (page) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);

export async function toolboxJourney({ test, newContext, base }) {
  await test('keyboard, JavaScript off: a visitor finds a resource without accents and reads it in easy-read French', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto('/boite-a-outils');
      if (!(await tabTo(page, (f) => f.name === 'q', 'the search field', problems))) return;
      await page.keyboard.type('fiche d accueil');
      if (!(await tabTo(page, (f) => f.tag === 'button' && f.text === 'Rechercher', '« Rechercher »', problems))) return;
      await follow(page);
      const title = 'Fiche d’accueil d’un intervenant-pair';
      if (!(await tabTo(page, (f) => f.tag === 'a' && f.text === title, `the result « ${title} »`, problems))) return;
      await follow(page);
      if (!(await tabTo(page, (f) => f.tag === 'a' && f.text.includes('facile à lire et à comprendre'), 'the easy-read version', problems))) return;
      await follow(page);
      if (!page.url().includes('version=facile')) problems.push(`the easy-read link led to ${page.url()}`);
      const main = await page.textContent('main');
      if (!main.includes('Vous préparez une salle calme.')) problems.push('the easy-read summary is not shown');
      const href = await page.getAttribute('a[href*="/fichiers/"]', 'href');
      if (!href) { problems.push('no download link'); return; }
      const file = await ctx.request.get(href);
      const type = file.headers()['content-type'];
      const disposition = file.headers()['content-disposition'] || '';
      const bytes = await file.body();
      if (file.status() !== 200) problems.push(`the PDF answers ${file.status()}`);
      if (type !== 'application/pdf') problems.push(`the PDF is served as ${type}`);
      if (!disposition.startsWith('attachment')) problems.push(`the PDF is not an attachment: ${disposition}`);
      if (bytes.subarray(0, 5).toString() !== '%PDF-') problems.push('the download is not a PDF');
    } finally {
      await ctx.close();
    }
  });
}
