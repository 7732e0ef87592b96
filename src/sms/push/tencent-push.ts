/**
 * What Tencent Cloud SMS calls back with: the delivery status callback (a JSON array,
 * `sid` being the SerialNo SendSms gave, `report_status` SUCCESS or FAIL) and the reply
 * callback (one citizen's text). Parsed with zod; answered `{"result":0,"errmsg":"OK"}` or,
 * when a handler failed, HTTP 500 with a non-zero result.
 */
import { z } from 'zod';
import { beijing } from './aliyun-push.js';
import type { PushParse } from './push.js';

const Status = z.array(
  z.object({
    sid: z.string().min(1),
    report_status: z.enum(['SUCCESS', 'FAIL']),
    errmsg: z.string().default(''),
    user_receive_time: z.string().optional(),
  }),
);

const Reply = z.object({
  mobile: z.string().regex(/^[0-9]{3,20}$/),
  nationcode: z.string().regex(/^[0-9]{1,4}$/).default('86'),
  text: z.string(),
  time: z.number().int().positive(),
  extend: z.string().optional(),
});

export const tencentPush: PushParse = {
  report(body) {
    const parsed = Status.safeParse(body);
    if (!parsed.success) return null;
    return parsed.data.map((r) => ({ messageId: r.sid, status: r.report_status === 'SUCCESS' ? 'delivered' : 'failed', code: r.errmsg || r.report_status, at: beijing(r.user_receive_time) }));
  },
  reply(body) {
    const parsed = Reply.safeParse(body);
    if (!parsed.success) return null;
    const m = parsed.data;
    return [{ from: m.nationcode === '86' ? m.mobile : `+${m.nationcode}${m.mobile}`, to: m.extend ?? '', text: m.text, receivedAt: new Date(m.time * 1000).toISOString() }];
  },
  answer: (ok) => (ok ? { status: 200, body: { result: 0, errmsg: 'OK' } } : { status: 500, body: { result: 1, errmsg: 'not stored; call back again' } }),
};
