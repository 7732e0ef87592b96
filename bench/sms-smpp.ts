/**
 * SMS over SMPP: texts submitted per second to an in-process SMSC (the test peer, a real
 * SMPP 3.4 server from the `smpp` package) on one bind_transceiver session.
 *   - gateway: 2,000 single-part texts, then 500 long Chinese texts (200 characters, three
 *     UCS-2 parts each), with 32 texts in flight;
 *   - service: 2,000 texts through the whole SMS part (send → Redis outbox → sender's
 *     claim under lease → submit → result recorded), sender concurrency 32.
 * Medians of 3 runs.
 *
 *   npx tsx bench/sms-smpp.ts      (BENCH_SMS_TEXTS=2000 BENCH_SMS_LONG=500 to change)
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { Semaphore } from '../src/shared/semaphore.js';
import { createSmsService } from '../src/sms/index.js';
import { SmsConfigSchema } from '../src/sms/config-schema.js';
import { SmppGateway } from '../src/sms/smpp/smpp-gateway.js';
import { startSmppPeer, type SmppPeer } from '../test/sms/support/smpp-peer.js';
import { CHINESE_200 } from '../test/sms/support/texts.js';
import { startPrivateRedis } from './support/private-redis.js';
import { median, reportFigure } from './support/stats.js';

const TEXTS = Number(process.env.BENCH_SMS_TEXTS ?? (process.env.BENCH_QUICK === '1' ? 200 : 2000));
const LONG = Number(process.env.BENCH_SMS_LONG ?? (process.env.BENCH_QUICK === '1' ? 50 : 500));
const IN_FLIGHT = 32;
const RUNS = 3;
const credentials = { systemId: 'bench', password: 'bench-pw' };
const log = pino({ level: 'silent' });

function gatewayConfig(port: number) {
  const config = SmsConfigSchema.shape.gateway.parse({ kind: 'smpp', host: '127.0.0.1', port, systemId: credentials.systemId, passwordEnv: 'BENCH_SMPP_PASSWORD', enquireLinkMs: 30_000 });
  if (config.kind !== 'smpp') throw new Error('smpp expected');
  return config;
}

const number = (i: number) => `1390000${String(i % 10_000).padStart(4, '0')}`;

async function gatewayRun(peer: SmppPeer, count: number, text: string): Promise<number> {
  const gateway = new SmppGateway(gatewayConfig(peer.port), credentials.password, log);
  await gateway.start();
  await gateway.whenBound();
  const window = new Semaphore(IN_FLIGHT);
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) => window.run(() => gateway.submit({ to: number(i), text, purpose: 'notice', params: {}, reference: `b-${i}` }))),
  );
  const seconds = (performance.now() - started) / 1000;
  await gateway.stop();
  if (results.some((r) => !r.ok)) throw new Error('a submit failed');
  return count / seconds;
}

async function serviceRun(peer: SmppPeer, redisUrl: string, run: number): Promise<number> {
  const sms = createSmsService({
    config: {
      gateway: { kind: 'smpp', host: '127.0.0.1', port: peer.port, systemId: credentials.systemId, passwordEnv: 'BENCH_SMPP_PASSWORD' },
      numberDigestSecretEnv: 'BENCH_DIGEST',
      dailyCapPerNumber: 1000,
      concurrency: IN_FLIGHT,
      pollMs: 20,
    },
    redisUrl,
    keyPrefix: `bench-sms-${run}:`,
    log,
    secrets: { BENCH_SMPP_PASSWORD: credentials.password, BENCH_DIGEST: 'bench-digest' },
    registry: new Registry(),
    publish: () => undefined,
  });
  await sms.start();
  const before = peer.submitted();
  const started = performance.now();
  for (let i = 0; i < TEXTS; i++) await sms.send({ to: number(i), ticketNumber: `SR-${run}-${i}`, purpose: 'notice', idempotencyKey: `n:${run}:${i}`, text: 'Ticket accepted, reply 1-5' });
  while (peer.submitted() - before < TEXTS) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  await sms.stop();
  return TEXTS / seconds;
}

const peer = await startSmppPeer(credentials);
peer.autoReceipt = null;
const redis = await startPrivateRedis();
try {
  const single: number[] = [];
  const long: number[] = [];
  const service: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    single.push(await gatewayRun(peer, TEXTS, 'Ticket SR-1 accepted; handled within 5 working days.'));
    long.push(await gatewayRun(peer, LONG, CHINESE_200));
    service.push(await serviceRun(peer, redis.url, run));
    peer.texts.splice(0);
  }
  reportFigure('sms-smpp', `gateway: ${TEXTS} single-part texts, ${IN_FLIGHT} in flight`, Math.round(median(single)), 'texts/s');
  reportFigure('sms-smpp', `gateway: ${LONG} long Chinese texts (3 UCS-2 parts)`, Math.round(median(long)), 'texts/s');
  reportFigure('sms-smpp', 'gateway: parts of long texts', Math.round(median(long) * 3), 'submit_sm/s');
  reportFigure('sms-smpp', `service: ${TEXTS} texts send → outbox → sender → SMSC`, Math.round(median(service)), 'texts/s');
} finally {
  await peer.close();
  redis.stop();
}
