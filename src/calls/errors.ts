/** The calls' own errors, each with a constant code. */
export class UnknownPromptError extends Error {
  override readonly name = 'UnknownPromptError';
  readonly code = 'calls:unknown-prompt';
  constructor(promptId: string, language?: string) {
    super(language ? `prompt "${promptId}" has no sound for "${language}"` : `unknown prompt "${promptId}"`);
  }
}
