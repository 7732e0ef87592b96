/**
 * What Aliyun's SMS service pushes to us over HTTP (the "HTTP batch push" mode of its
 * console): SmsReport, delivery reports as a JSON array keyed by the BizId SendSms gave, and
 * SmsUp, citizens' texts. Parsed with zod; answered `{"code":0}` or, when a handler failed,
 * HTTP 503 so Aliyun pushes again (after 1, 5 and 10 minutes).
 */
import { z } from 'zod';
import type { PushParse } from './push.js';

const Report = z.array(
  z.object({
    biz_id: z.string().min(1),
    success: z.boolean(),
    err_code: z.string().default(''),
    report_time: z.string().optional(),
  }),
);

const Up = z.array(
  z.object({
    phone_number: z.string().regex(/^\+?[0-9]{3,20}$/),
    content: z.string(),
    send_time: z.string().optional(),
    dest_code: z.string().optional(),
  }),
);

export const aliyunPush: PushParse = {
  report(body) {
    const parsed = Report.safeParse(body);
    if (!parsed.success) return null;
    return parsed.data.map((r) => ({ messageId: r.biz_id, status: r.success ? 'delivered' : 'failed', code: r.err_code || (r.success ? 'DELIVERED' : 'FAILED'), at: beijing(r.report_time) }));
  },
  reply(body) {
    const parsed = Up.safeParse(body);
    if (!parsed.success) return null;
    return parsed.data.map((m) => ({ from: m.phone_number, to: m.dest_code ?? '', text: m.content, receivedAt: beijing(m.send_time) }));
  },
  answer: (ok) => (ok ? { status: 200, body: { code: 0, msg: '接收成功' } } : { status: 503, body: { code: 1, msg: 'not stored; push again' } }),
};

/** "2017-01-01 00:00:00" in Beijing time, as Aliyun writes it; now when absent or unreadable. */
export function beijing(time: string | undefined): string {
  const ms = time ? Date.parse(`${time.replace(' ', 'T')}+08:00`) : NaN;
  return new Date(Number.isNaN(ms) ? Date.now() : ms).toISOString();
}
