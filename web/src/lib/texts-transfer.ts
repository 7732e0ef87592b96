/** The agent desktop's transfer to a queue or an agent, in Chinese and English. */
import type { Dictionary } from './i18n.js';

export const TRANSFER_TEXTS: Dictionary = {
  'transfer.title': { zh: '转接', en: 'Transfer' },
  'transfer.queue': { zh: '转接队列', en: 'Queue' },
  'transfer.toQueue': { zh: '转入队列', en: 'Transfer to queue' },
  'transfer.agent': { zh: '转接坐席', en: 'Agent' },
  'transfer.agentPlaceholder': { zh: '坐席工号（可选择或输入）', en: 'Agent id (pick or type)' },
  'transfer.toAgent': { zh: '转给坐席', en: 'Transfer to agent' },
  'transfer.queued': { zh: '已转入队列「{queue}」，来电人排队等待（保留原排队位置）', en: 'Transferred to queue “{queue}”: the caller waits, keeping their place' },
  'transfer.ringing': { zh: '正在呼叫坐席 {agent}；未接听则回到队列「{queue}」', en: 'Ringing agent {agent}; unanswered, the caller goes back to queue “{queue}”' },
  'transfer.notReady': { zh: '坐席 {agent} 未就绪，无法转接；通话仍由您处理', en: 'Agent {agent} is not ready: not transferred, the call stays with you' },
  'transfer.noSuchAgent': { zh: '没有坐席 {agent}', en: 'No agent {agent}' },
  'transfer.notOnCall': { zh: '当前没有通话可转接', en: 'No call to transfer' },
  'transfer.busy': { zh: '通话中已有第三方，请先结束咨询或紧急转接', en: 'A third party is in the call: end the consultation or emergency transfer first' },
  'transfer.noAgentGiven': { zh: '请先选择或输入坐席工号', en: 'Pick or type an agent id first' },
  'transfer.failed': { zh: '转接失败：{reason}', en: 'Transfer failed: {reason}' },
  'transfer.noneReady': { zh: '暂无空闲坐席', en: 'No agent ready now' },
};
