/**
 * The request signatures against the examples their documentation works through, for the
 * adapters' implementations and the test peers' own (which verify every request in the
 * other tests).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalizedQuery, percentEncode, rpcSignature, stringToSign } from '../../src/sms/aliyun/signature.js';
import { tc3Authorization, tc3CanonicalRequest, tc3Signature, tc3StringToSign } from '../../src/sms/tencent/signature.js';
import { documentedPercentEncode, documentedSignature } from './support/aliyun-peer.js';
import { documentedTc3 } from './support/tencent-peer.js';

describe('Aliyun RPC signature (HMAC-SHA1, SignatureVersion 1.0)', () => {
  // The SendSms example of the dysmsapi signature documentation.
  const params: Record<string, string> = {
    AccessKeyId: 'testId',
    Action: 'SendSms',
    Format: 'XML',
    OutId: '123',
    PhoneNumbers: '15300000001',
    RegionId: 'cn-hangzhou',
    SignName: '阿里云短信测试专用',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
    SignatureVersion: '1.0',
    TemplateCode: 'SMS_71390007',
    TemplateParam: '{"customer":"test"}',
    Timestamp: '2017-07-12T02:42:19Z',
    Version: '2017-05-25',
  };

  it('gives the documented canonicalized query, string to sign and signature', () => {
    expect(canonicalizedQuery(params)).toBe(
      'AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25',
    );
    expect(stringToSign('GET', params).startsWith('GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms')).toBe(true);
    expect(rpcSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(documentedSignature(new Map(Object.entries(params)), 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('percent-encodes as documented: space %20, * %2A, ~ kept, and the characters encodeURIComponent leaves', () => {
    for (const s of ["a b*c~d!e'f(g)h+i/j", '中文 ~*']) expect(percentEncode(s)).toBe(documentedPercentEncode(s));
    expect(percentEncode('a b*~')).toBe('a%20b%2A~');
  });
});

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  // The example of the API 3.0 signature v3 documentation (CVM DescribeInstances).
  const req = {
    host: 'cvm.tencentcloudapi.com',
    service: 'cvm',
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    timestamp: 1551113065,
  };

  it('gives the documented payload hash, canonical request hash, string to sign and signature', () => {
    expect(createHash('sha256').update(req.payload).digest('hex')).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(createHash('sha256').update(tc3CanonicalRequest(req)).digest('hex')).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(tc3StringToSign(req)).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(tc3Signature(req, 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE')).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(documentedTc3('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', '2019-02-25', 'cvm', tc3StringToSign(req))).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(tc3Authorization(req, 'AKIDEXAMPLE', 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE')).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });
});
