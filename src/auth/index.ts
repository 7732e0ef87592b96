/**
 * Sign-in: how people become actors of the operator API (the centre's identity provider or
 * the built-in user list). Public face for the wiring and the HTTP side.
 */
export { AuthConfigSchema, IDP_ALGORITHMS, authEnvFaults, type AuthConfig, type IdentityProviderConfig, type UserConfig } from './config-schema.js';
export { personFromClaims, claimAt, type SignedInPerson, type ClaimsVerdict } from './claims.js';
export { JwksKeys } from './jwks.js';
export { createUserDirectory, type UserDirectory } from './users.js';
export { hashPassword, parsePasswordHash, verifyPassword, HASH_FORMAT, type ScryptHash } from './password-hash.js';
export { USER_TOKEN_ISSUER, type UserTokenClaims } from './user-tokens.js';
export { AUTH_ERRORS, AuthError } from './errors.js';
