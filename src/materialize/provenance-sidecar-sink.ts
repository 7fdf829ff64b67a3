/**
 * Moves provenance out of the records into a sidecar file, for trainers that reject unknown
 * top-level keys (OpenAI fine-tuning). Line n of `train-00000-of-00002.jsonl` and the line
 * `{"line": n, …}` of `train-00000-of-00002.provenance.jsonl` describe the same record, so nothing
 * is lost: provenance is only stored elsewhere. The sidecar's name does not match the shard
 * pattern `<split>-NNNNN-of-NNNNN.<ext>`, so tools that look for shards pass it by.
 */
import { HashedFile } from '../io/hashed-file.js';
import { type ClosedShard, lineText, type ShardSink, type SinkFactory } from './shard-sink.js';

/** A sidecar's name is its shard's base name plus this. */
export const PROVENANCE_SUFFIX = '.provenance.jsonl';

class ProvenanceSidecarSink implements ShardSink {
  private rows = 0;

  constructor(
    private readonly inner: ShardSink,
    private readonly sidecar: HashedFile,
    private readonly fields: readonly string[],
  ) {}

  write(line: Uint8Array): Promise<void> | undefined {
    const record = JSON.parse(lineText(line)) as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    const moved: Record<string, unknown> = { line: ++this.rows };
    for (const [key, value] of Object.entries(record)) {
      if (this.fields.includes(key)) moved[key] = value;
      else kept[key] = value;
    }
    const inner = this.inner.write(Buffer.from(JSON.stringify(kept), 'utf8'));
    const sidecar = this.sidecar.write(Buffer.from(JSON.stringify(moved), 'utf8'), true);
    return inner || sidecar ? Promise.all([inner, sidecar]).then(() => {}) : undefined;
  }

  async close(): Promise<ClosedShard> {
    const shard = await this.inner.close();
    const digest = await this.sidecar.close();
    return {
      ...shard,
      sidecars: [
        ...shard.sidecars,
        { kind: 'provenance', tempPath: this.sidecar.path, suffix: PROVENANCE_SUFFIX, rows: this.rows, ...digest },
      ],
    };
  }
}

/** Shards of `inner` whose records lose `fields`, which go to a JSONL sidecar keyed by line (1-based). */
export function provenanceSidecars(inner: SinkFactory, fields: readonly string[]): SinkFactory {
  return {
    extension: inner.extension,
    async open(tempPath) {
      const shard = await inner.open(tempPath);
      return new ProvenanceSidecarSink(shard, await HashedFile.create(`${tempPath}.provenance`), fields);
    },
  };
}
