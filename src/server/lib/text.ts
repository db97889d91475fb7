/**
 * Whether `text` has more than `max` characters, counted as people count them:
 * code points, so an emoji is one, not two UTF-16 units. Code points never
 * outnumber UTF-16 units, so only a text longer than `max` units is counted.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}
