/**
 * The five levels of satisfaction and what follows a rating: 1 非常满意, 2 满意, 3 基本满意,
 * 4 不满意, 5 非常不满意. Dissatisfied (4, 5) gets a human callback (Wuding §3(4)); the second
 * dissatisfied result of a ticket puts it under supervision (Shangrao art. 13(5)). Pure.
 */
import type { SurveyRating } from '../calls/index.js';

export type { SurveyRating };

export const RATING_LABELS: Record<SurveyRating, string> = {
  1: 'very-satisfied',
  2: 'satisfied',
  3: 'basically-satisfied',
  4: 'dissatisfied',
  5: 'very-dissatisfied',
};

/** The rating a key stands for; null for any other key. */
export function ratingOfKey(digit: string): SurveyRating | null {
  return /^[1-5]$/.test(digit) ? (Number(digit) as SurveyRating) : null;
}

/** The rating an SMS reply gives: one digit 1–5 (full-width too, spaces around it allowed); null otherwise. */
export function ratingOfSmsReply(text: string): SurveyRating | null {
  const ascii = text.trim().replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48));
  return ratingOfKey(ascii);
}

export function isDissatisfied(rating: SurveyRating | null): boolean {
  return rating === 4 || rating === 5;
}

export interface FollowUp {
  humanCallback: boolean;
  /** This result is the ticket's second dissatisfied one (or a later one). */
  supervision: boolean;
}

/** What a rating calls for, given the ticket's dissatisfied results including this one. */
export function followUpOf(rating: SurveyRating | null, dissatisfiedCount: number): FollowUp {
  const dissatisfied = isDissatisfied(rating);
  return { humanCallback: dissatisfied, supervision: dissatisfied && dissatisfiedCount >= 2 };
}
