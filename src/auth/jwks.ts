/**
 * The identity provider's signing keys from its JWKS URL, by kid.
 *
 * Fetched on first use and again after `maxAgeSeconds`; a token naming a kid not in the set
 * makes a fetch at once (the IdP has rotated its keys), at most once per `cooldownSeconds`
 * whatever the tokens say. Each fetch is bounded by `timeoutMs`. When a fetch fails the
 * keys already known stay in use; with none known the token cannot be verified (401, not
 * 503: the operator's remedy is the same, sign in again later).
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Logger } from 'pino';
import { AUTH_ERRORS, AuthError } from './errors.js';
import type { IdentityProviderConfig } from './config-schema.js';

type JwksConfig = NonNullable<IdentityProviderConfig['jwks']>;

export class JwksKeys {
  /** kid → PEM public key (keys without a kid are kept under ''). */
  private keys = new Map<string, string>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly config: JwksConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The PEM key for a token's kid; throws AuthError when there is none to be had. */
  async keyFor(kid: string | undefined): Promise<string> {
    const stale = this.now() - this.fetchedAt > this.config.maxAgeSeconds * 1000;
    if (stale || !this.lookup(kid)) await this.refresh();
    const key = this.lookup(kid);
    if (key) return key;
    if (this.keys.size === 0) throw new AuthError(AUTH_ERRORS.keysUnavailable, "the identity provider's keys could not be fetched");
    throw new AuthError(AUTH_ERRORS.unknownKey, `the identity provider publishes no key ${kid ?? '(no kid)'}`);
  }

  private lookup(kid: string | undefined): string | undefined {
    if (kid !== undefined) return this.keys.get(kid);
    // A token without a kid is fine while the IdP publishes one key only.
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.attemptedAt < this.config.cooldownSeconds * 1000) return Promise.resolve();
    this.attemptedAt = this.now();
    this.inFlight = this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.fetchedAt = this.now();
      })
      .catch((err: unknown) => {
        this.log.warn({ url: this.config.url, why: (err as Error).message, keysKept: this.keys.size }, "identity provider's keys not fetched");
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<Map<string, string>> {
    const response = await fetch(this.config.url, { signal: AbortSignal.timeout(this.config.timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error('not a JWKS: no keys array');
    const keys = new Map<string, string>();
    for (const jwk of body.keys as Array<JsonWebKey & { kid?: string; use?: string }>) {
      if (jwk.use === 'enc') continue;
      try {
        keys.set(jwk.kid ?? '', createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString());
      } catch (err) {
        this.log.warn({ kid: jwk.kid, why: (err as Error).message }, 'identity provider key skipped');
      }
    }
    return keys;
  }
}
