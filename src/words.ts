/** `1 region`, `2 regions`, `3 addresses`: counts in the messages of every part of lbcheck. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

/** `a, b, c and 7 more`: the first few of a list that may be long, the rest counted (a progress line stays one line). */
export function firstFew(items: readonly string[], shown = 3): string {
  if (items.length <= shown + 1) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}
