/** Sign-in's own errors, each with a constant code. */
export const AUTH_ERRORS = {
  /** The identity provider's keys could not be fetched (unreachable, slow, not a JWKS). */
  keysUnavailable: 'auth:keys-unavailable',
  /** The token names a key the identity provider does not publish. */
  unknownKey: 'auth:unknown-key',
} as const;

/** A token that cannot be verified for want of a key; the HTTP side answers it with 401. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly code: (typeof AUTH_ERRORS)[keyof typeof AUTH_ERRORS], message: string) {
    super(message);
  }
}
