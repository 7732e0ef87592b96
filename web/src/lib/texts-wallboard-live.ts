/** The wallboard's texts for the per-queue forecast and the history chart. */
import type { Dictionary } from './i18n.js';

export const WALLBOARD_LIVE_TEXTS: Dictionary = {
  'wall.queueForecast.queue': { zh: '队列', en: 'Queue' },
  'wall.queueForecast.bar': { zh: '目标', en: 'Target' },
  'wall.queueForecast.bar.value': { zh: '{seconds}秒内 {target}', en: '{target} within {seconds} s' },
  'wall.queueForecast.staffed': { zh: '在岗', en: 'Staffed' },
  'wall.queueForecast.arrivals': { zh: '来话/小时', en: 'Calls / hour' },
  'wall.queueForecast.level': { zh: '预计接通率', en: 'Predicted level' },
  'wall.queueForecast.breach': { zh: '何时低于目标', en: 'Below target' },
  'wall.queueForecast.now': { zh: '已低于', en: 'Already' },
  'wall.queueForecast.in': { zh: '约 {minutes} 分钟后', en: 'In about {minutes} min' },
  'wall.queueForecast.never': { zh: '两小时内不会', en: 'Not within 2 h' },
};
