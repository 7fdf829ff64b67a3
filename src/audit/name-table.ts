/**
 * Strings ↔ small integers, so that per-record tables (record locations) hold 4-byte numbers
 * rather than references to repeated strings (file paths, group and source names).
 */

/** Interns names in first-seen order; `names[id]` is the name of `id`. */
export class NameTable {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}
