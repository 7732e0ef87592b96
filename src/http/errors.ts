/**
 * Every way an HTTP request can fail, named once. Answers carry `error_id` so clients can
 * act on it, a human message, and details (the zod issues for a bad body).
 */
export interface ErrorSpec {
  status: number;
  errorId: string;
  message: string;
}

export const HTTP_ERRORS = {
  badRequest: { status: 400, errorId: 'invalid-request', message: 'the request is not valid' },
  unauthorized: { status: 401, errorId: 'unauthorized', message: 'missing or wrong credentials' },
  badSignature: { status: 401, errorId: 'bad-signature', message: 'the signature does not match' },
  badCredentials: { status: 401, errorId: 'bad-credentials', message: 'unknown user or wrong password' },
  tokenExpired: { status: 401, errorId: 'token-expired', message: 'the token has expired; sign in again' },
  forbidden: { status: 403, errorId: 'forbidden', message: 'not allowed for this role' },
  notFound: { status: 404, errorId: 'not-found', message: 'no such resource' },
  conflict: { status: 409, errorId: 'conflict', message: 'the resource is in another state' },
  eventIdConflict: { status: 409, errorId: 'event-id-conflict', message: 'this event id was received before with another body' },
  tooManyRequests: { status: 429, errorId: 'too-many-requests', message: 'too many requests from this address; retry later' },
  storeUnavailable: { status: 503, errorId: 'store-unavailable', message: 'the store (Redis) did not answer; retry later' },
  internal: { status: 500, errorId: 'internal', message: 'internal error' },
} as const satisfies Record<string, ErrorSpec>;

export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly spec: ErrorSpec,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? spec.message);
  }
}

export interface ProblemBody {
  error_id: string;
  message: string;
  details?: unknown;
}
