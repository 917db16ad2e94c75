import { build } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds the web app once so the browser test serves what the code says now. */
export default async function setup() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await build({ configFile: `${root}/vite.config.ts`, logLevel: 'error' });
}
