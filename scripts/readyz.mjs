#!/usr/bin/env node
/**
 * Exit 0 when this host's handle-bot answers GET /readyz with 200, else 1: the container
 * HEALTHCHECK and the production-steps script use it. Built-ins only, so it runs on a
 * production install. Port: the first argument, else HEALTH_PORT.
 */
import process from 'node:process';

const port = process.argv[2] ?? process.env.HEALTH_PORT;
if (!port) {
  process.stderr.write('readyz: set HEALTH_PORT (or pass the port)\n');
  process.exit(1);
}
try {
  const response = await globalThis.fetch(`http://127.0.0.1:${port}/readyz`, { signal: globalThis.AbortSignal.timeout(4000) });
  const body = await response.text();
  if (!response.ok) process.stderr.write(`readyz: ${response.status} ${body}\n`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`readyz: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
