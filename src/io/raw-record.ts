/** A record's text as read, before parsing, with where it sits in the (decompressed) stream. */
export interface RawRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** Byte offset of the record in the decompressed stream. */
  readonly offset: number;
  /** Byte length of the record's text. */
  readonly length: number;
  readonly text: string;
}
