/**
 * `npm run demo`: the service against the built-in ARI simulator, with simulated callers,
 * whatever ARI_URL says. Stop it with Ctrl-C.
 */
process.env.ARI_URL = '';
await import('../src/app/main.js');
