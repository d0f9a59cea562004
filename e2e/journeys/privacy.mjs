// Privacy journeys with JavaScript off, as each party and as an attacker:
// a visitor who names an existing organisation in a request joins nothing,
// the coordination sees « organisation à vérifier »; a coordinator cannot
// make a profile public for its person; a person downloads their data and
// erases their account by keyboard.

import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const mails = (outbox) => (fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : []);

/**
 * An e-mail's text as a person reads it: quoted-printable soft breaks and
 * `=3D` undone, and every base64 body (lettre picks it for texts with many
 * accents) decoded and added.
 */
function readable(raw) {
  let text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const header = /Content-Transfer-Encoding: base64/gi;
  let m;
  while ((m = header.exec(raw)) !== null) {
    const start = raw.slice(m.index).search(/\r?\n\r?\n/);
    if (start < 0) break;
    const body = raw.slice(m.index + start).trimStart().split(/\r?\n--|\r?\n\r?\n/)[0];
    text += `\n${Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')}`;
  }
  return text;
}

/**
 * The first link matching `re` in the newest e-mail to `to` that is not in
 * `seen` (the e-mails there before the action that sends it; waits for the worker).
 */
export async function linkInMail(outbox, to, re, seen = []) {
  // Up to a minute: the worker sends every few seconds, slower on a busy machine.
  for (let i = 0; i < 240; i++) {
    const files = mails(outbox).filter((f) => !seen.includes(f)).sort().reverse();
    for (const f of files) {
      const text = readable(fs.readFileSync(path.join(outbox, f), 'utf8'));
      if (!text.includes(to)) continue;
      const m = text.match(re);
      if (m) return m[0];
    }
    await sleep(250);
  }
  return null;
}

/** Signs in with an e-mailed link (the account has no password). */
async function signInByLink(page, outbox, email) {
  await page.goto('/connexion/lien');
  await page.getByLabel('Adresse e-mail').fill(email);
  const seen = mails(outbox);
  await page.getByRole('button', { name: /lien/i }).click();
  const link = await linkInMail(outbox, email, /https?:\/\/\S*\/connexion\/lien\/[A-Za-z0-9_-]+/, seen);
  if (!link) return false;
  await page.goto(new URL(link).pathname);
  await page.getByRole('button', { name: /connect/i }).first().click();
  return true;
}

export async function privacyJourneys({ test, newContext, signIn, base, outbox }) {
  const stranger = `inconnu.${Date.now()}@exemple.fr`;

  await test('JavaScript off: a visitor naming an existing organisation in a request joins nothing', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto('/demander-une-intervention');
      await page.locator('#org_name').fill('ESAT des Ateliers de l’Hers (démo)');
      await page.selectOption('#org_kind', { index: 1 });
      await page.selectOption('#kind', { index: 1 });
      await page.selectOption('#department', '31');
      const fields = {
        subject: 'Sensibiliser notre équipe',
        audience: 'Équipe d’accueil',
        audience_size: '8',
        description: 'Une demande d’essai.',
        duration: '2 heures',
        period: 'printemps 2027',
        address: '1 rue de la Paix, 31000 Toulouse',
        contact_name: 'Camille Inconnue',
        contact_email: stranger,
      };
      for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
      await page.locator('input[name=mode]').first().check();
      const seen = mails(outbox);
      await page.getByRole('button', { name: /Envoyer ma demande/ }).click();
      const h1 = await page.locator('h1').textContent();
      if (!h1.includes('Vérifiez votre boîte')) { problems.push(`after sending: « ${h1} » ${(await page.locator('.error-summary').textContent().catch(() => '')).replace(/\s+/g, ' ')}`); return; }
      const confirm = await linkInMail(outbox, stranger, /https?:\/\/\S*\/confirmer\/[A-Za-z0-9_-]+/, seen);
      if (!confirm) { problems.push('no confirmation e-mail'); return; }
      await page.goto(new URL(confirm).pathname);
      await page.getByRole('button', { name: /Confirmer/ }).first().click();
      // The same link, opened twice, says the request is already confirmed and offers nothing to send.
      const again = await page.goto(new URL(confirm).pathname);
      const againText = await page.locator('main').textContent();
      const resend = await page.getByRole('button', { name: /Confirmer/ }).count();
      if (again.status() !== 200 || !againText.includes('déjà confirmée') || resend !== 0) problems.push(`the confirmation link opened twice: ${again.status()} « ${againText.slice(0, 120)} »`);
      if (!(await signInByLink(page, outbox, stranger))) { problems.push('no sign-in link e-mailed'); return; }
      await page.goto('/espace/demandes');
      const mine = await page.locator('main').textContent();
      if (!mine.includes('Sensibiliser notre équipe')) problems.push('the stranger does not see their own request');
      const rows = await page.locator('main tbody tr').count();
      if (rows !== 1) problems.push(`the stranger sees ${rows} requests, expected only their own`);
      const other = await page.goto('/espace/demandes/demo-demande-esat');
      if (other.status() !== 404) problems.push(`the organisation's own request answers ${other.status()} to the stranger`);
      const api = await (await page.goto('/api/v1/requests')).json();
      if (api.items.length !== 1) problems.push(`the API lists ${api.items.length} requests to the stranger`);
    } finally {
      await ctx.close();
    }

    // The coordination sees it as to be checked; the organisation's member does not see it.
    for (const [role, expectSeen] of [['coordinator', true], ['requester', false]]) {
      const ctx2 = await newContext(base, { javaScriptEnabled: false });
      try {
        const page = await ctx2.newPage();
        await signIn(page, role);
        await page.goto(role === 'coordinator' ? '/admin/demandes' : '/espace/demandes');
        const text = await page.locator('main').textContent();
        const seen = text.includes('Sensibiliser notre équipe');
        if (seen !== expectSeen) problems.push(`${role} ${seen ? 'sees' : 'does not see'} the stranger's request`);
        if (role === 'coordinator' && !text.includes('organisation à vérifier')) problems.push('the coordination is not told « organisation à vérifier »');
      } finally {
        await ctx2.close();
      }
    }
  });

  await test('JavaScript off: a coordinator cannot make a profile public in its person\'s name', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await signIn(page, 'coordinator');
      await page.goto('/admin/annuaire');
      const link = page.locator('a[href$="/modifier/visibilite"]').first();
      if (!(await link.count())) { problems.push('no visibility link on the territory\'s directory'); return; }
      const href = await link.getAttribute('href');
      await page.goto(href);
      if (await page.locator('input[name=accord]').count()) problems.push(`${href} offers the consent box to the coordinator`);
      const notice = await page.locator('main').textContent();
      if (!notice.includes('accord')) problems.push(`${href} does not say why the choices are limited`);
    } finally {
      await ctx.close();
    }
  });

  await test('keyboard, JavaScript off: a person downloads their data, then erases their account', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      if (!(await signInByLink(page, outbox, stranger))) { problems.push('no sign-in link e-mailed'); return; }
      await page.goto('/espace/mes-donnees');
      const json = await (await ctx.request.get('/espace/mes-donnees.json')).json();
      if (!JSON.stringify(json).includes(stranger)) problems.push('the JSON export does not hold the account\'s address');
      const pdf = await ctx.request.get('/espace/mes-donnees.pdf');
      if (pdf.headers()['content-type'] !== 'application/pdf') problems.push(`the PDF export is ${pdf.headers()['content-type']}`);
      if (pdf.headers()['cache-control'] !== 'no-store') problems.push(`the PDF export is cached: ${pdf.headers()['cache-control']}`);
      await page.goto('/espace/mes-donnees/effacer');
      // By keyboard: the box, the word, the button.
      await page.locator('input[type=checkbox]').first().focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.type('effacer');
      await page.locator('main form button[type=submit], main form button:not([type])').last().focus();
      await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      const path = new URL(page.url()).pathname;
      if (path !== '/compte-efface') problems.push(`after erasing: on ${path}, « ${(await page.locator('main').textContent()).slice(0, 200)} »`);
      const space = await page.goto('/espace');
      if (new URL(page.url()).pathname !== '/connexion') problems.push(`after erasing, /espace answers ${space.status()} on ${page.url()}`);
    } finally {
      await ctx.close();
    }
  });
}
