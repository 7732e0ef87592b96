/** Builds the browser pages once before the tests (web/build.mjs), so a page that no longer compiles fails the run. */
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildWeb } from '../../web/build.mjs';

export default async function setup(): Promise<void> {
  await buildWeb({ minify: false });
}
