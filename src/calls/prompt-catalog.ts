/**
 * Turns a prompt id of the hotline config into the media URIs Asterisk plays, in the
 * caller's language, falling back to the default language.
 */
import type { PromptsConfig } from './config-schema.js';
import { UnknownPromptError } from './errors.js';

export class PromptCatalog {
  constructor(private readonly prompts: PromptsConfig) {}

  get defaultLanguage(): string {
    return this.prompts.defaultLanguage;
  }

  has(promptId: string): boolean {
    return promptId in this.prompts.sounds;
  }

  media(promptId: string, language = this.prompts.defaultLanguage): string[] {
    const byLanguage = this.prompts.sounds[promptId];
    if (!byLanguage) throw new UnknownPromptError(promptId);
    const sound = byLanguage[language] ?? byLanguage[this.prompts.defaultLanguage];
    if (!sound) throw new UnknownPromptError(promptId, language);
    return [`sound:${sound}`];
  }
}
