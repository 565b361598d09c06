/**
 * `npm run web:size`: builds the web app into a scratch folder and measures what a first visit
 * downloads before the app can run: the entry script and every module index.html preloads, gzipped
 * (level 9, as a static host or CDN serves them). Lazily loaded pages (claim, vote, fund, creator
 * console...) are listed apart. Writes bench/web.json and fails when the initial JavaScript is over
 * its budget (300 KB gzipped, issue 5).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./lib/deployments.ts";
import { buildWebApp } from "./lib/web.ts";

const BUDGET_BYTES = 300 * 1024;

const out = mkdtempSync(join(tmpdir(), "coterie-web-size-"));
try {
  await buildWebApp(out);
  const html = readFileSync(join(out, "index.html"), "utf8");
  const initial = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g)) initial.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)) initial.add(m[1]);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);
  if (initial.size === 0) throw new Error("index.html references no module script");

  const gz = (file: string) => gzipSync(readFileSync(join(out, file)), { level: 9 }).length;
  const raw = (file: string) => readFileSync(join(out, file)).length;
  const rows = [...initial].map((file) => ({ file, bytes: raw(file), gzip: gz(file) }));
  const lazy = readdirSync(join(out, "assets"))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith(".js") && !initial.has(f))
    .map((file) => ({ file, bytes: raw(file), gzip: gz(file) }))
    .sort((a, b) => b.gzip - a.gzip);
  const initialGzip = rows.reduce((sum, r) => sum + r.gzip, 0);
  const cssGzip = css.reduce((sum, f) => sum + gz(f), 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

  console.log("Initial JavaScript (entry + preloaded modules):");
  for (const r of rows) console.log(`  ${r.file.padEnd(44)} ${kb(r.bytes).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);
  console.log(`  ${"total".padEnd(44)} ${"".padStart(10)}  gzip ${kb(initialGzip).padStart(9)}   (budget ${kb(BUDGET_BYTES)})`);
  console.log(`Initial CSS: gzip ${kb(cssGzip)}`);
  console.log("Loaded on demand:");
  for (const r of lazy) console.log(`  ${r.file.padEnd(44)} ${kb(r.bytes).padStart(10)}  gzip ${kb(r.gzip).padStart(9)}`);

  writeFileSync(
    join(ROOT, "bench", "web.json"),
    JSON.stringify(
      {
        initialJsGzipBytes: initialGzip,
        budgetBytes: BUDGET_BYTES,
        initialCssGzipBytes: cssGzip,
        initial: rows.map((r) => ({ ...r, file: r.file.replace(/-[\w-]{8}\.js$/, ".js") })),
        lazy: lazy.map((r) => ({ ...r, file: r.file.replace(/-[\w-]{8}\.js$/, ".js") })),
      },
      null,
      2,
    ) + "\n",
  );
  if (initialGzip > BUDGET_BYTES) {
    console.error(`web:size: the initial JavaScript is ${kb(initialGzip)} gzipped, over the ${kb(BUDGET_BYTES)} budget`);
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
