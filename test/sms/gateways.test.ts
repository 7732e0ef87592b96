/**
 * One contract, three adapters: SMPP against an in-process SMSC, Aliyun and Tencent against
 * HTTP peers that verify every signature as documented.
 */
import { describeGatewayContract } from './gateway-contract.js';
import { aliyunFixture, smppFixture, tencentFixture } from './support/fixtures.js';

describeGatewayContract('SMPP 3.4', smppFixture);
describeGatewayContract('Aliyun dysmsapi', aliyunFixture);
describeGatewayContract('Tencent Cloud SMS', tencentFixture);
