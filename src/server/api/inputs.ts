import { z } from 'zod';
import { longerThan } from '../lib/text.ts';

/**
 * Characters that draw nothing or steer the text around them: controls, format
 * characters (bidi overrides and isolates, zero-width spaces and joiners, tags),
 * line and paragraph separators, and default-ignorables such as the Hangul
 * filler U+3164. In a name they make two names that look alike, or reorder
 * what is shown next to the name.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The few of them emoji need: a ZWJ between two pictographs (👩‍💻, 🧑🏽‍🦰), a
 * text or emoji variation selector after a pictograph (❤️), the keycap's
 * (1️⃣), and a subdivision flag's tag sequence (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Extended_Pictographic
 * already covers code points reserved for future emoji, so new sequences pass.
 */
const EMOJI_PARTS =
  /(?<=\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})|(?<=\p{Extended_Pictographic})[\uFE0E\uFE0F]|(?<=[#*0-9])\uFE0F(?=\u20E3)|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

export const isVisibleText = (text: string): boolean => !INVISIBLE.test(text.replace(EMOJI_PARTS, ''));

/** A name other people read: trimmed, 1 to `max` characters, nothing invisible. */
function visibleName(what: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .refine((text) => !longerThan(text, max), `${what} can be at most ${max} characters`)
    .refine(isVisibleText, `${what} cannot contain invisible or control characters`);
}

export const displayName = visibleName('a display name', 64);
export const roomName = visibleName('a room name', 80);

export const username = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only');
export const password = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

/** A token from a setup, invitation or password link (base64url; SETUP_TOKEN may be any text up to 256). */
export const linkToken = z.string().trim().min(1, 'the link has no token').max(256, 'the link is too long: copy it again');

/** A room's topic: one line of at most 250 characters; empty clears it. */
export const roomTopic = z
  .string()
  .trim()
  .refine((text) => !longerThan(text, 250), 'a topic can be at most 250 characters')
  .refine(isVisibleText, 'a topic cannot contain invisible or control characters');
