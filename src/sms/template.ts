/**
 * Fills a text template: `{name}` becomes the parameter's value; an unknown name stays as
 * written, so a template error shows in the text instead of vanishing.
 */
export function renderTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => params[name] ?? whole);
}
