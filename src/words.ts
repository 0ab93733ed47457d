/** `1 region`, `2 regions`, `3 addresses`: counts in the messages of every part of lbcheck. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}
