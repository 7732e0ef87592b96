/** The web-call page's texts about its settings (webcall.ts); the rest are in texts.ts. */
import type { Dictionary } from './i18n.js';

export const WEBCALL_TEXTS: Dictionary = {
  'web.loading': { zh: '正在准备…', en: 'Getting ready…' },
  'web.unavailable': { zh: '网上呼叫暂未开通，请拨打电话 12345', en: 'Web calling is not available yet; please dial 12345 by phone' },
};
