/**
 * A stand-in for the centre's identity provider: key pairs made in the test, tokens signed
 * with node:crypto alone (not the library under test), and its JWKS served over real HTTP,
 * counting fetches; its key set can be rotated, and it can stop answering or go away.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestKey {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeKey(kid: string, alg: TestKey['alg'] = 'RS256'): TestKey {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return { kid, alg, ...pair };
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS, signed as an IdP would: RS256, ES256 (raw r‖s) or EdDSA. */
export function signJwt(key: TestKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64url({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header })}.${b64url(payload)}`;
  const signature =
    key.alg === 'EdDSA'
      ? sign(null, Buffer.from(input), key.privateKey)
      : sign('sha256', Buffer.from(input), key.alg === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' } : key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims valid for the next ten minutes, over the given ones. */
export function claims(extra: Record<string, unknown>): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 600, ...extra };
}

export const ISSUER = 'https://sso.test.example/realms/hotline';
export const AUDIENCE = 'hotline-operator-api';

export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches: number;
  /** The keys published from now on. */
  publish(keys: TestKey[]): void;
  /** Accept connections but never answer (a hung IdP), or answer again. */
  hang(hung: boolean): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  let published = keys;
  let hung = false;
  const state = { fetches: 0 };
  const server: Server = createServer((request, response) => {
    state.fetches += 1;
    if (hung) return;
    const body = { keys: published.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, use: 'sig', alg: k.alg })) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/realms/hotline/protocol/openid-connect/certs`,
    get fetches() {
      return state.fetches;
    },
    publish: (next) => {
      published = next;
    },
    hang: (value) => {
      hung = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
