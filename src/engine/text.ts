/**
 * The text of a finding (its message and fix) as one flat string. V8 keeps the result of a template
 * literal as a tree of its pieces, about twice the size of the text and one object per piece, until
 * something reads a character of it. A finding keeps its text until the reports are written, and every
 * scavenge until then copies each piece (at 10,000 load balancers, tens of thousands of texts). Reading
 * the first character writes the text out once, now, while its pieces are new and die young; the JSON
 * report would flatten it anyway.
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
