/**
 * Records between reading and counting. The reader pushes each record (or unreadable line) as it
 * passes; they are cut into batches whose facts (`record-facts.ts`) are computed inline or by a
 * `FactPool`, and handed to the tally strictly in reading order, whatever finishes first. With a
 * pool, a few batches per worker are in flight while this thread reads on: enough that no worker
 * waits, few enough to bound memory (a batch holds its records' texts until it is counted).
 */
import { sampleText } from '../sample.js';
import type { SampleBody } from '../sample.js';
import { textForFields } from '../text/fields.js';
import { IN_FLIGHT_PER_WORKER, MIN_MESSAGE_RECORDS } from '../workers/worker-pool.js';
import type { FactPool } from './fact-pool.js';
import type { RecordPosition } from './file-records.js';
import { leadingPrompt, promptOf } from './record-body.js';
import {
  type FactBatch,
  type FactComputer,
  type FactInput,
  FactReader,
  PROMPT_ONLY,
  PROMPT_THEN_TEXT,
} from './record-facts.js';
import type { AuditedRecord } from './split-tally.js';
import type { SubjectTally } from './subject-tally.js';

/** Where the facts are computed: on this thread, or in a pool of workers with the same settings. */
export interface FactSource {
  readonly computer: FactComputer;
  readonly pool?: FactPool | undefined;
}

type Entry =
  | { readonly record: AuditedRecord; readonly position: RecordPosition; readonly text: string }
  | { readonly record: undefined; readonly split: string; readonly where: string; readonly message: string };

/** A batch being filled: `FactInput` with its arrays open. */
interface BatchInput {
  readonly texts: string[];
  readonly prompts: (string | null)[] | undefined;
  readonly leads: number[] | undefined;
  readonly nearTexts: string[] | undefined;
}

interface Batch {
  readonly entries: Entry[];
  readonly facts: FactBatch | Promise<FactBatch>;
}

/** Records per batch computed inline: small, so little is held between reading and counting. */
const INLINE_BATCH_RECORDS = 64;

export class RecordFeed {
  private entries: Entry[] = [];
  private input: BatchInput;
  private readonly inFlight: Batch[] = [];
  private readonly batchRecords: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly tally: SubjectTally,
    private readonly source: FactSource,
  ) {
    const pool = source.pool;
    this.batchRecords = pool ? MIN_MESSAGE_RECORDS : INLINE_BATCH_RECORDS;
    this.maxInFlight = pool ? pool.size * IN_FLIGHT_PER_WORKER : 0;
    this.input = this.emptyInput();
  }

  /** A valid record, as read. */
  push(record: AuditedRecord, body: SampleBody, position: RecordPosition): void {
    const { settings } = this.source.computer;
    const text = sampleText(body);
    // Only where the record sits: the raw record (its line of JSON) can go as soon as it is parsed.
    const { line, offset, length, row } = position;
    this.entries.push({
      record,
      position: row === undefined ? { line, offset, length } : { line, offset, length, row },
      text,
    });
    const { prompts, leads } = this.input;
    const lead = prompts ? leadingPrompt(body) : undefined;
    if (lead) {
      this.input.texts.push(lead.rest ?? '');
      prompts!.push(lead.prompt);
      leads!.push(lead.rest === null ? PROMPT_ONLY : PROMPT_THEN_TEXT);
    } else {
      this.input.texts.push(text);
      prompts?.push(promptOf(body) ?? null);
      leads?.push(0);
    }
    if (settings.near !== null && settings.near !== 'all')
      this.input.nearTexts?.push(textForFields(body, settings.near));
  }

  /** An unreadable record, counted in its place in the order. */
  invalid(split: string, where: string, message: string): void {
    this.entries.push({ record: undefined, split, where, message });
  }

  /** After each batch the reader delivers: send a full batch on, and count what is due. */
  async afterRead(): Promise<void> {
    if (this.entries.length < this.batchRecords) return;
    this.dispatch();
    while (this.inFlight.length > this.maxInFlight) await this.countNext();
  }

  /** Count everything pushed so far (at the end of a file). */
  async drain(): Promise<void> {
    if (this.entries.length > 0) this.dispatch();
    while (this.inFlight.length > 0) await this.countNext();
  }

  private dispatch(): void {
    const { pool, computer } = this.source;
    const input: FactInput = this.input;
    let facts: FactBatch | Promise<FactBatch>;
    if (pool && input.texts.length > 0) {
      const promise = pool.compute(input);
      // Awaited later in order, or never when reading fails first: not an unhandled rejection.
      promise.catch(() => {});
      facts = promise;
    } else {
      facts = computer.compute(input);
    }
    this.inFlight.push({ entries: this.entries, facts });
    this.entries = [];
    this.input = this.emptyInput();
  }

  private async countNext(): Promise<void> {
    const batch = this.inFlight.shift()!;
    const facts = await batch.facts;
    const reader = new FactReader(facts);
    let i = 0;
    for (const entry of batch.entries) {
      if (entry.record === undefined) {
        this.tally.addInvalid(entry.split, entry.where, entry.message);
        continue;
      }
      this.tally.add(entry.record, entry.position, reader.at(i++, entry.text));
    }
  }

  private emptyInput(): BatchInput {
    const { settings } = this.source.computer;
    return {
      texts: [],
      prompts: settings.prompts ? [] : undefined,
      leads: settings.prompts ? [] : undefined,
      nearTexts: settings.near !== null && settings.near !== 'all' ? [] : undefined,
    };
  }
}
