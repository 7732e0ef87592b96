/**
 * Builds the configured gateway, its secrets read by the names the config gives.
 */
import type { Logger } from 'pino';
import { AliyunSmsGateway } from './aliyun/aliyun-gateway.js';
import type { SmsGatewayConfig } from './config-schema.js';
import type { SmsGateway } from './ports/sms-gateway.js';
import { SmppGateway } from './smpp/smpp-gateway.js';
import { TencentSmsGateway } from './tencent/tencent-gateway.js';

export function createGateway(config: SmsGatewayConfig, secret: (envName: string) => string, log: Logger): SmsGateway {
  const gatewayLog = log.child({ gateway: config.kind });
  switch (config.kind) {
    case 'smpp':
      return new SmppGateway(config, secret(config.passwordEnv), gatewayLog);
    case 'aliyun':
      return new AliyunSmsGateway(config, { accessKeyId: secret(config.accessKeyIdEnv), accessKeySecret: secret(config.accessKeySecretEnv) });
    case 'tencent':
      return new TencentSmsGateway(config, { secretId: secret(config.secretIdEnv), secretKey: secret(config.secretKeyEnv) });
  }
}
