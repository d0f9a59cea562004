import fs from 'node:fs';
import { chromium } from 'playwright-core';
const B = process.env.BASE || 'http://127.0.0.1:8090';
const OUT = process.env.OUTBOX || '/tmp/demo/outbox';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync'] });
const ctx = await browser.newContext({ baseURL: B, javaScriptEnabled: false, locale: 'fr-FR', viewport: {width: 1280, height: 900} });
const page = await ctx.newPage();
const shot = (n) => page.screenshot({ path: `/tmp/shots/${n}.png`, fullPage: true });
const sleepMs = (ms) => new Promise(r => setTimeout(r, ms));
const lastMail = async (to, re) => { for (let i = 0; i < 40; i++) { const t = lastMail1(to); const m = t.match(re); if (m) return m[0]; await sleepMs(500); } return undefined; };
const lastMail1 = (to) => {
  if (!fs.existsSync(OUT)) return '';
  const files = fs.readdirSync(OUT).filter(f => f.endsWith('.eml')).sort();
  for (const f of files.reverse()) { const t = fs.readFileSync(`${OUT}/${f}`, 'utf8'); if (t.includes(to)) return t.replace(/=\r?\n/g, '').replace(/=3D/g, '='); }
  return '';
};
const email = `intrus${Date.now()}@exemple.fr`;
await page.goto('/demander-une-intervention');
await page.getByLabel('Nom de l’organisation', { exact: false }).first().fill('ESAT des Ateliers de l’Hers (démo)');
await page.selectOption('#org_kind', { index: 1 });
await page.selectOption('#kind', { index: 1 });
await page.selectOption('#department', '31');
for (const [id, v] of [['subject','Sensibilisation'],['audience','Équipe'],['audience_size','10'],['description','Une demande.'],['contact_name','Intrus Test'],['contact_email', email],['date_from','2027-03-01'],['date_to','2027-03-30'],['duration','2 heures'],['address','1 rue de la Paix, 31000 Toulouse']]) {
  const el = page.locator(`#${id}`); if (await el.count()) await el.fill(v);
}
await page.locator('input[name=mode]').first().check();
await shot('c1-form');
await page.getByRole('button', { name: /Envoyer/ }).click();
await shot('c2-sent');
console.log('after submit:', page.url(), (await page.locator('h1').innerText()));
const link = await lastMail(email, /https?:\/\/[^\s]*confirmer\/[A-Za-z0-9_-]+/);
console.log('confirm link', !!link);
if (link) {
  await page.goto(link); await shot('c3-confirm');
  await page.getByRole('button').filter({ hasText: /Confirmer/ }).first().click();
  await shot('c4-confirmed'); console.log('confirmed:', page.url());
  // sign in by link
  await page.goto('/connexion/lien'); await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: /lien/i }).click();
  const l2 = await lastMail(email, /https?:\/\/[^\s]*\/connexion\/lien\/[A-Za-z0-9_-]+/);
  console.log('signin link', !!l2);
  await page.goto(l2); await page.getByRole('button').filter({ hasText: /connect/i }).first().click();
  await page.goto('/espace/demandes'); await shot('c5-mine');
  console.log('MINE:', (await page.locator('main').innerText()).slice(0, 600));
  const r = await page.goto('/espace/demandes/demo-demande-esat'); console.log('esat request status', r.status());
  const api = await page.goto('/api/v1/requests'); console.log('api:', (await api.text()).slice(0, 300));
}
await browser.close();
