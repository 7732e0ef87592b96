/**
 * Chinese by default, English on request: every text on a page is `data-i18n="<key>"` (or
 * t(key) from code), and the toggle re-renders them in place. The choice is remembered.
 */
export type Lang = 'zh' | 'en';
export type Dictionary = Record<string, { zh: string; en: string }>;

const KEY = 'hotline.lang';
let lang: Lang = (localStorage.getItem(KEY) as Lang | null) ?? 'zh';
let dictionary: Dictionary = {};
const listeners: Array<() => void> = [];

export function useDictionary(d: Dictionary): void {
  dictionary = { ...dictionary, ...d };
}

export function currentLang(): Lang {
  return lang;
}

/** Whether the pages have a text of their own for `key` (else a label from the service is shown). */
export function hasText(key: string): boolean {
  return Object.hasOwn(dictionary, key);
}

/** The text of `key` in the current language, `{name}` placeholders filled. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const entry = dictionary[key];
  const text = entry ? entry[lang] : key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}

export function applyTexts(root: ParentNode = document): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder!);
}

export function onLanguageChange(listener: () => void): void {
  listeners.push(listener);
}

/** Wires the page's language button (#lang-toggle). */
export function installLanguageToggle(): void {
  const button = document.getElementById('lang-toggle');
  const render = () => {
    applyTexts();
    if (button) button.textContent = lang === 'zh' ? 'English' : '中文';
    for (const l of listeners) l();
  };
  button?.addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem(KEY, lang);
    render();
  });
  render();
}
