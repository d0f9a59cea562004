// « Je veux devenir intervenant-pair », by keyboard only and with JavaScript
// off: from /devenir-intervenant-pair through the questions one per page (a
// missing answer first, then the consent forgotten), the e-mailed
// confirmation link, to the candidate's space and path; the coordinator of
// the département then finds the application, another territory's does not.

import { ACCOUNTS, OTHER_COORDINATOR, PASSWORD } from '../pages.mjs';
import { linkInMail, mails } from './privacy.mjs';

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
  };
});

export async function candidateJourney({ test, newContext, base, outbox }) {
  const email = `ines.candidate.${Date.now()}@exemple.fr`;
  await test('keyboard, JavaScript off: apply to become a peer worker, confirm, see the path', async (problems) => {
    const ctx = await newContext(base, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      const tabTo = async (pred, max = 150) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          if (pred(await focused(page))) return true;
        }
        return false;
      };
      const go = () => Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.keyboard.press('Enter')]);
      const submit = async (label) => {
        if (!(await tabTo((f) => f?.tag === 'button' && f.text.startsWith(label)))) {
          problems.push(`« ${label} » is never reached with Tab on ${page.url()}`);
          return false;
        }
        await go();
        return true;
      };

      await page.goto('/devenir-intervenant-pair');
      if (!(await submit('Je pose ma candidature'))) return;
      if (!/\/candidature\/[^/]+\/nom$/.test(new URL(page.url()).pathname)) problems.push(`the form starts on ${page.url()}`);

      // No name: the error is said, focused in the summary, beside the field.
      if (!(await submit('Continuer'))) return;
      if (!(await page.title()).startsWith('Erreur')) problems.push(`an empty name gives the title “${await page.title()}”`);
      if (!(await tabTo((f) => f?.name === 'name'))) { problems.push('the name field is never reached'); return; }
      await page.keyboard.type('Inès Clavier');
      if (!(await submit('Continuer'))) return;

      if (!(await tabTo((f) => f?.name === 'department'))) { problems.push('the département list is never reached'); return; }
      await page.keyboard.type('31');
      if ((await page.locator('select[name=department]').inputValue()) !== '31') problems.push('typing 31 does not choose the Haute-Garonne');
      if (!(await submit('Continuer'))) return;

      if (!(await tabTo((f) => f?.name === 'email'))) { problems.push('the e-mail field is never reached'); return; }
      await page.keyboard.type(email);
      if (!(await submit('Continuer'))) return;

      if (!(await tabTo((f) => f?.name === 'actions'))) { problems.push('the first action box is never reached'); return; }
      await page.keyboard.press('Space');
      if (!(await submit('Continuer'))) return;

      if (!(await tabTo((f) => f?.name === 'needs'))) { problems.push('the needs field is never reached'); return; }
      await page.keyboard.type('Des pauses toutes les heures.');
      if (!(await submit('Continuer'))) return;

      // The summary: sending without the consent is refused, answers kept.
      const summary = await page.locator('main').textContent();
      for (const words of ['Inès Clavier', 'Haute-Garonne', email, 'Des pauses toutes les heures.']) {
        if (!summary.includes(words)) problems.push(`the summary page lacks “${words}”`);
      }
      if (!(await submit('Envoyer ma candidature'))) return;
      if (!(await page.title()).startsWith('Erreur')) problems.push('sending without consent is not refused');
      if (!(await tabTo((f) => f?.name === 'consent'))) { problems.push('the consent box is never reached'); return; }
      await page.keyboard.press('Space');
      const seen = mails(outbox);
      if (!(await submit('Envoyer ma candidature'))) return;
      if ((await page.title()).startsWith('Erreur')) { problems.push(`sending fails: ${(await page.locator('main').textContent()).slice(0, 200)}`); return; }

      // The e-mailed link shows a button first (mail scanners), then confirms.
      const link = await linkInMail(outbox, email, /https?:\/\/\S*\/candidature\/confirmer\/[A-Za-z0-9_-]+/, seen);
      if (!link) { problems.push('no confirmation e-mail'); return; }
      await page.goto(new URL(link).pathname);
      if (!(await submit('Je confirme'))) return;
      await page.goto('/espace');
      const space = await page.locator('main').textContent();
      if (!space.includes('Bienvenue')) problems.push(`the candidate's space: “${space.slice(0, 200)}”`);
      await page.goto('/espace/mon-parcours');
      const path = await page.locator('main').textContent();
      for (const step of ['Candidature envoyée', 'Adresse e-mail confirmée']) {
        if (!path.includes(step)) problems.push(`« Mon parcours » lacks « ${step} »`);
      }
      const admin = await page.goto('/admin/candidats');
      if (admin.status() !== 403) problems.push(`a candidate opens /admin/candidats (${admin.status()})`);
    } finally {
      await ctx.close();
    }
  });

  await test('the département’s coordination finds the application, another territory’s does not', async (problems) => {
    for (const [who, sees] of [[ACCOUNTS.coordinator, true], [OTHER_COORDINATOR, false]]) {
      const ctx = await newContext(base, { javaScriptEnabled: false });
      try {
        const page = await ctx.newPage();
        await page.goto('/connexion');
        await page.getByLabel('Adresse e-mail').fill(who);
        await page.getByLabel('Mot de passe').fill(PASSWORD);
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se connecter' }).click()]);
        await page.goto('/admin/candidats');
        const list = await page.locator('main').textContent();
        if (list.includes('Inès Clavier') !== sees) problems.push(`${who} ${sees ? 'does not see' : 'sees'} the application`);
      } finally {
        await ctx.close();
      }
    }
  });
}
