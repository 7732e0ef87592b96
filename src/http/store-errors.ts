/**
 * Errors that mean "the store did not answer", as ioredis raises them (the client gives up
 * after its command timeout and bounded retries): the error handler answers them 503
 * `store-unavailable`, something to retry later, rather than 500. A Redis reply error (a
 * wrong type, a script fault) is a real fault and stays 500. Node's socket codes count too:
 * behind these routes only Redis is reached over a raw socket.
 */

/** Node's socket errors when Redis cannot be reached at all. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE']);

/** ioredis's own texts (built/utils CONNECTION_CLOSED_ERROR_MSG, Command.js, Redis.js, cluster). */
const UNANSWERED_MESSAGES = [
  'Connection is closed.',
  'Command aborted due to connection close',
  'Command timed out',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'None of startup nodes is available',
];

/** Reply errors Redis sends while it cannot serve yet (loading its data, a replica syncing). */
const NOT_READY_REPLIES = /^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN) /;

export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Matched by name: ioredis does not export these classes from its entry point.
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ClusterAllFailedError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && UNREACHABLE_CODES.has(code)) return true;
  if (UNANSWERED_MESSAGES.includes(err.message)) return true;
  return err.name === 'ReplyError' && NOT_READY_REPLIES.test(err.message);
}
