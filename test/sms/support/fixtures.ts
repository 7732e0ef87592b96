/**
 * The gateways under test wired to their peers, with the settings and secrets tests use.
 */
import smpp from 'smpp';
import { AliyunSmsGateway } from '../../../src/sms/aliyun/aliyun-gateway.js';
import { SmppGateway } from '../../../src/sms/smpp/smpp-gateway.js';
import { TencentSmsGateway } from '../../../src/sms/tencent/tencent-gateway.js';
import { SmsConfigSchema } from '../../../src/sms/config-schema.js';
import { createTestLogger } from '../../support/test-logger.js';
import type { GatewayFixture } from '../gateway-contract.js';
import { startAliyunPeer } from './aliyun-peer.js';
import { startSmppPeer, type SmppPeer } from './smpp-peer.js';
import { startTencentPeer } from './tencent-peer.js';

export const log = createTestLogger();
export const SMPP_CREDENTIALS = { systemId: 'hotline', password: 'smpp-pw-1' };
export const ALIYUN_CREDENTIALS = { accessKeyId: 'LTAI-test', accessKeySecret: 'aliyun-secret-for-tests' };
export const TENCENT_CREDENTIALS = { secretId: 'AKID-test', secretKey: 'tencent-secret-for-tests' };

export function smppGatewayConfig(port: number, overrides: Record<string, unknown> = {}) {
  const parsed = SmsConfigSchema.shape.gateway.parse({
    kind: 'smpp',
    host: '127.0.0.1',
    port,
    systemId: SMPP_CREDENTIALS.systemId,
    passwordEnv: 'SMS_SMPP_PASSWORD',
    enquireLinkMs: 1000,
    responseTimeoutMs: 2000,
    rebind: { firstMs: 20, maxMs: 200 },
    ...overrides,
  });
  if (parsed.kind !== 'smpp') throw new Error('smpp config expected');
  return parsed;
}

export async function smppFixture(): Promise<GatewayFixture & { peer: SmppPeer; gateway: SmppGateway }> {
  const peer = await startSmppPeer(SMPP_CREDENTIALS);
  peer.autoReceipt = null;
  const gateway = new SmppGateway(smppGatewayConfig(peer.port), SMPP_CREDENTIALS.password, log);
  await gateway.start();
  await gateway.whenBound();
  return {
    peer,
    gateway,
    accepted: () => peer.texts.map((t) => t.to),
    refuseForGood(to) {
      peer.refuse(to, smpp.ESME_RINVDSTADR);
      return 'ESME_RINVDSTADR';
    },
    throttleNext: (n) => peer.failNext(n, smpp.ESME_RTHROTTLED),
    troubleNext: (n) => peer.failNext(n, smpp.ESME_RSYSERR),
    async close() {
      await gateway.stop();
      await peer.close();
    },
  };
}

const TEMPLATES = { acceptance: { id: 'SMS_100001', params: ['ticketNumber', 'workingDays'] }, survey: { id: 'SMS_100002', params: ['ticketNumber'] } };

export async function aliyunFixture(secret = ALIYUN_CREDENTIALS.accessKeySecret) {
  const peer = await startAliyunPeer(ALIYUN_CREDENTIALS);
  const config = SmsConfigSchema.shape.gateway.parse({ kind: 'aliyun', endpoint: peer.url, accessKeyIdEnv: 'ALIYUN_KEY_ID', accessKeySecretEnv: 'ALIYUN_KEY_SECRET', signName: '12345热线', templates: TEMPLATES });
  if (config.kind !== 'aliyun') throw new Error('aliyun config expected');
  const gateway = new AliyunSmsGateway(config, { accessKeyId: ALIYUN_CREDENTIALS.accessKeyId, accessKeySecret: secret });
  return {
    peer,
    gateway,
    accepted: () => peer.sent.map((s) => s.phoneNumbers),
    refuseForGood(to: string) {
      peer.answerFor(to, 'isv.MOBILE_NUMBER_ILLEGAL');
      return 'isv.MOBILE_NUMBER_ILLEGAL';
    },
    throttleNext: (n: number) => peer.throttleNext(n),
    troubleNext: (n: number) => peer.unavailableNext(n),
    close: () => peer.close(),
  } satisfies GatewayFixture & Record<string, unknown>;
}

export async function tencentFixture(secret = TENCENT_CREDENTIALS.secretKey) {
  const peer = await startTencentPeer(TENCENT_CREDENTIALS);
  const config = SmsConfigSchema.shape.gateway.parse({ kind: 'tencent', endpoint: peer.url, secretIdEnv: 'TC_SECRET_ID', secretKeyEnv: 'TC_SECRET_KEY', smsSdkAppId: '1400000000', signName: '12345热线', templates: TEMPLATES });
  if (config.kind !== 'tencent') throw new Error('tencent config expected');
  const gateway = new TencentSmsGateway(config, { secretId: TENCENT_CREDENTIALS.secretId, secretKey: secret });
  return {
    peer,
    gateway,
    accepted: () => peer.sent.map((s) => s.phone.replace(/^\+86/, '')),
    refuseForGood(to: string) {
      peer.answerFor(`+86${to}`, 'InvalidParameterValue.IncorrectPhoneNumber');
      return 'InvalidParameterValue.IncorrectPhoneNumber';
    },
    throttleNext: (n: number) => peer.errorNext(n, 'RequestLimitExceeded'),
    troubleNext: (n: number) => peer.errorNext(n, 'InternalError.Timeout'),
    close: () => peer.close(),
  } satisfies GatewayFixture & Record<string, unknown>;
}
