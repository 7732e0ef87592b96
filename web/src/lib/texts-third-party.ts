/** The agent desktop's emergency transfers and consultations, in Chinese and English. */
import type { Dictionary } from './i18n.js';

export const THIRD_PARTY_TEXTS: Dictionary = {
  'third.emergency': { zh: '紧急转接', en: 'Emergency transfer' },
  'third.threeWay': { zh: '三方通话', en: 'Three-way' },
  'third.blind': { zh: '直接转接', en: 'Blind' },
  'third.consultation': { zh: '咨询', en: 'Consultation' },
  'third.callerOnHold': { zh: '来电人等待（播放音乐）', en: 'Caller waits (music)' },
  'third.consult': { zh: '发起咨询', en: 'Consult' },
  'third.join': { zh: '来电人加入', en: 'Caller joins' },
  'third.end': { zh: '结束咨询', en: 'End consultation' },
  'third.noRoutes': { zh: '未配置紧急转接线路', en: 'No emergency routes configured' },
  'third.dialling': { zh: '正在呼叫 {label}…', en: 'Calling {label}…' },
  'third.transferred.three-way': { zh: '{label} 已接通：三方通话中', en: '{label} answered: three-way call' },
  'third.transferred.blind': { zh: '{label} 已接通：来电人已转出', en: '{label} answered: the caller is put through' },
  'third.notAnswered': { zh: '{label} 未接通（{attempts}），通话继续', en: '{label} not reached ({attempts}); the call goes on' },
  'third.consulting.held': { zh: '正在与 {label} 咨询，来电人等待中', en: 'Consulting {label}; the caller waits' },
  'third.consulting.open': { zh: '正在与 {label} 咨询，来电人在线', en: 'Consulting {label}; the caller is on the line' },
  'third.joined': { zh: '来电人、{label} 与您三方通话中', en: 'Caller, {label} and you in one call' },
  'third.ended': { zh: '咨询结束，来电人已回到通话', en: 'Consultation ended; the caller is back with you' },
  'third.noConsultation': { zh: '咨询已结束（对方已挂机）', en: 'The consultation is over (the unit hung up)' },
  'third.busy': { zh: '通话中已有第三方，请先结束咨询或紧急转接', en: 'A third party is in the call: end the consultation or emergency transfer first' },
  'third.notOnCall': { zh: '当前没有通话', en: 'No call' },
  'third.failed': { zh: '操作失败：{reason}', en: 'Failed: {reason}' },
};
