#!/usr/bin/env node
/**
 * What `npm start`, `npm run console` and `npm run demo` run: the built bot, built first
 * only when dist/ is missing or older than the sources. On a production install (no dev
 * dependencies: `npm ci --omit=dev`) a built tree runs as it is; the production command needs
 * no npm at all: `node dist/src/cli.js start`.
 */
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { build, compilerInstalled, ENTRY, NOT_BUILT, staleReason } from './build.mjs';

const reason = staleReason();
if (reason !== undefined) {
  if (compilerInstalled()) {
    process.stderr.write(`Building handle-bot (${reason}); later starts skip this step.\n`);
    const { code } = await build();
    if (code !== 0) {
      process.stderr.write('The build failed (see above): handle-bot was not started.\n');
      process.exit(code);
    }
  } else if (reason === NOT_BUILT) {
    process.stderr.write(
      'handle-bot is not built and its bundler (esbuild) is not installed (a production install?).\n' +
        'Build it where the dev dependencies are installed: `npm ci && npm run build`, then `npm ci --omit=dev` if you like.\n',
    );
    process.exit(1);
  } else {
    process.stderr.write(`Note: ${reason}, but the bundler (esbuild) is not installed here: running the existing build.\n`);
  }
}
// Same process, same arguments: cli.js reads process.argv.slice(2), which is what npm passed on.
await import(pathToFileURL(ENTRY).href);
