/**
 * One CSV/TSV record's text → its fields. The same quoting rules as csv-splitter.ts: a field that
 * starts with `"` runs to the next lone `"`, `""` inside it is one quote, and anything after the
 * closing quote is kept literally (Python's csv module does the same) rather than rejected.
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
