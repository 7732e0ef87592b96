/**
 * Typed ARI errors. ari-client rejects with a plain `Error` whose message is the raw
 * response body and no status code; the adapter turns every failure into one of these,
 * so callers branch on `code`, never on message text.
 */
export type AriErrorCode =
  | 'ari:not-found'      // 404: the channel, bridge, playback or recording is gone
  | 'ari:conflict'       // 409: e.g. a recording name already in use, channel not in a bridge
  | 'ari:bad-request'    // 400: Asterisk refused the parameters
  | 'ari:unprocessable'  // 422: e.g. redirect to another technology
  | 'ari:unauthorized'   // 401
  | 'ari:server-error'   // 500: e.g. "Allocation failed" on originate
  | 'ari:timeout'        // no answer within the request timeout (Asterisk down: ari-client never settles)
  | 'ari:unavailable'    // not connected, or the connection was refused
  | 'ari:unknown';

export class AriError extends Error {
  override readonly name = 'AriError';
  constructor(
    readonly code: AriErrorCode,
    message: string,
    readonly operation: string,
    readonly status?: number,
  ) {
    super(`${operation}: ${message}`);
  }
}

export function isAriError(error: unknown, code?: AriErrorCode): error is AriError {
  return error instanceof AriError && (code === undefined || error.code === code);
}

/** True for errors that mean "the thing is already gone": safe to ignore during cleanup. */
export function isGone(error: unknown): boolean {
  return isAriError(error, 'ari:not-found');
}
