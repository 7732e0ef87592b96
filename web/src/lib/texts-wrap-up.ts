/** The wrap-up panel's texts (agent-wrap-up.ts); the disposition codes' own words come from the API. */
import type { Dictionary } from './i18n.js';

export const WRAP_UP_TEXTS: Dictionary = {
  'wrapUp.disposition': { zh: '话后小结', en: 'Disposition' },
  'wrapUp.choose': { zh: '— 请选择来电类型 —', en: '— choose the call type —' },
  'wrapUp.note': { zh: '备注（选填）', en: 'Note (optional)' },
  'wrapUp.save': { zh: '保存小结', en: 'Save disposition' },
  'wrapUp.saved': { zh: '已保存：{label}', en: 'Saved: {label}' },
  'wrapUp.left': { zh: '剩余 {time}', en: '{time} left' },
};
