/** What the tokens `POST /auth/token` issues carry, and whom they are for. */
import type { Role } from '../config/api-tokens.js';

/** The `iss` and `aud` of the service's own tokens: never an identity provider's issuer. */
export const USER_TOKEN_ISSUER = 'hotline-operator-api';

export interface UserTokenClaims {
  sub: string;
  role: Role;
}
