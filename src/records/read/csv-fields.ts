/**
 * One CSV/TSV record's text → its fields. The same quoting rules as csv-splitter.ts: a field that
 * starts with `"` runs to the next lone `"`, and `""` inside it is one quote. Text after the
 * closing quote is not RFC 4180: `splitFields` keeps it literally (as Python's csv module does),
 * and readers refuse such a row first with `textAfterClosingQuote`, because it is how an
 * unbalanced quote shows: the quote swallows the rows up to the next `"`, which then "closes" it.
 */

const QUOTE = '"';

/** The fields of one record's text, unquoted; never fails (the splitter has already checked the quotes). */
export function splitFields(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    let field = '';
    if (text[i] === QUOTE) {
      i++;
      for (;;) {
        const close = text.indexOf(QUOTE, i);
        if (close === -1) {
          field += text.slice(i); // unclosed: the splitter rejects this for whole files
          i = n;
          break;
        }
        field += text.slice(i, close);
        if (text[close + 1] === QUOTE) {
          field += QUOTE;
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
    }
    const next = text.indexOf(delimiter, i);
    const end = next === -1 ? n : next;
    field += text.slice(i, end);
    fields.push(field);
    if (next === -1) return fields;
    i = next + 1;
  }
}

/**
 * Index of the first character that follows the closing quote of a quoted field where only the
 * delimiter or the end of the row may (`"a"b,c` → 3), or -1 when the row is well quoted. A quote
 * still open at the end is left to the splitter, which reports it for whole files.
 */
export function textAfterClosingQuote(text: string, delimiter: string): number {
  if (!text.includes(QUOTE)) return -1;
  const n = text.length;
  let i = 0;
  for (;;) {
    if (text[i] === QUOTE) {
      i++;
      for (;;) {
        const close = text.indexOf(QUOTE, i);
        if (close === -1) return -1;
        if (text[close + 1] === QUOTE) {
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i < n && text[i] !== delimiter) return i;
    }
    const next = text.indexOf(delimiter, i);
    if (next === -1) return -1;
    i = next + 1;
  }
}
