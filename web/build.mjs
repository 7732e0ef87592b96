// Bundles the browser pages: web/src/<page>.ts → web/dist/<page>.js (one ES module each,
// SIP.js included), and copies web/public (HTML, CSS) beside them. web/dist is what the
// service serves under /app/ (src/http/routes/web-pages.ts). Run by `npm run build` and
// before the tests (test/support/web-build-global-setup.ts), so the pages never rot.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(here, 'dist');
export const PAGES = ['agent', 'wallboard', 'webcall'];

export async function buildWeb({ minify = true } = {}) {
  rmSync(WEB_DIST, { recursive: true, force: true });
  mkdirSync(WEB_DIST, { recursive: true });
  cpSync(join(here, 'public'), WEB_DIST, { recursive: true });
  const result = await build({
    entryPoints: PAGES.map((p) => join(here, 'src', `${p}.ts`)),
    outdir: WEB_DIST,
    bundle: true,
    format: 'esm',
    // Chromium, Edge and Firefox of the last few years: what government desks run.
    target: ['chrome100', 'firefox100', 'edge100'],
    minify,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  return Object.fromEntries(Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).map(([f, o]) => [f, o.bytes]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildWeb();
  for (const [file, bytes] of Object.entries(sizes)) console.log(`${file.replace(/^.*web\//, 'web/')}  ${(bytes / 1024).toFixed(1)} KiB`);
}
