/**
 * The bundled quickstart, composed in every output format, loads in the real consumers:
 * Hugging Face `datasets.load_dataset(DIR)` through the folder's dataset card, `pyarrow` for the
 * Parquet shards, DuckDB's `read_json` for the JSON lines shards. The JSONL output of the same
 * recipe and seed is the reference: every consumer must see its splits, row counts and rows.
 * The Python side is test/consumers/py/load_outputs.py; the environment is scripts/python-env.sh's.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { loadRecipe } from '../../src/recipe/load.js';
import { describePython, lastJsonLine, pythonEnv, REPO_ROOT, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const QUICKSTART = path.join(REPO_ROOT, 'recipes', 'quickstart.yaml');
const FORMATS = ['jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet'] as const;
type Format = (typeof FORMATS)[number];
/** Composing four formats and one Python run of every consumer over them. */
const TIMEOUT = 240_000;

interface Case {
  readonly label: string;
  readonly set: readonly string[];
  /** Also check that the comparison catches a changed row. */
  readonly tamper?: boolean;
  /** Small shards: the train split spans several files. */
  readonly manyShards?: boolean;
}
const CASES: readonly Case[] = [
  { label: 'seed 42 (the recipe as bundled)', set: ['seed=42'], tamper: true },
  { label: 'seed 7', set: ['seed=7'] },
  { label: 'seed 2025, 64 rows a shard', set: ['seed=2025', 'output.max_rows_per_shard=64'], manyShards: true },
];

interface ManifestFile {
  readonly path: string;
  readonly split: string;
  readonly rows: number;
}
interface ConsumerError {
  readonly type: string;
  readonly message: string;
  readonly traceback: string;
}
interface RowComparison {
  readonly rows: number;
  readonly expected_rows: number;
  readonly mismatch_count: number;
  readonly mismatches: readonly { row: number; difference: string }[];
}
/** One shard read by pyarrow (rows only) or DuckDB (rows compared with the reference shard). */
interface ShardCheck {
  readonly path: string;
  readonly manifest_rows: number;
  readonly rows: number | null;
  readonly error: ConsumerError | null;
  readonly mismatch_count?: number;
  readonly mismatches?: RowComparison['mismatches'];
}
interface OutputReport {
  readonly load_dataset: {
    readonly error: ConsumerError | null;
    readonly split_names?: readonly string[];
    readonly splits: Readonly<Record<string, RowComparison>>;
  };
  readonly pyarrow?: readonly ShardCheck[];
  readonly duckdb?: readonly ShardCheck[];
}
interface Report {
  readonly versions: Readonly<Record<string, string>>;
  readonly reference: Readonly<Record<string, number>>;
  readonly outputs: Readonly<Record<string, OutputReport>>;
}
interface CaseRun {
  readonly folders: Readonly<Record<Format, string>>;
  readonly files: Readonly<Record<Format, readonly ManifestFile[]>>;
  readonly report: Report;
  /** Where the tampered copy's changed row is (tamper cases only). */
  readonly tampered?: { readonly path: string; readonly row: number };
}

const py = pythonEnv();
// Only when the tests run: a file whose tests are all skipped runs no afterAll, so the folder would stay.
const root = py.ok ? tempDir('mixsmith-consumers-') : '';
const runs = new Map<string, Promise<CaseRun>>();

function manifestFiles(folder: string): ManifestFile[] {
  return (JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }).files;
}

function rowsBySplit(files: readonly ManifestFile[]): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const file of files) rows[file.split] = (rows[file.split] ?? 0) + file.rows;
  return rows;
}

/** A copy of the JSONL output with one assistant turn changed: what the comparison must catch. */
function tamperedCopy(
  jsonlFolder: string,
  files: readonly ManifestFile[],
  target: string,
): { path: string; row: number } {
  cpSync(jsonlFolder, target, { recursive: true });
  const train = files.filter((f) => f.split === 'train');
  const shard = train[train.length - 1]!;
  const rowsBefore = train.slice(0, -1).reduce((sum, f) => sum + f.rows, 0);
  const file = path.join(target, shard.path);
  const lines = readFileSync(file, 'utf8').split('\n');
  const record = JSON.parse(lines[4]!) as { messages: { role: string; content: string }[] };
  record.messages[record.messages.length - 1]!.content += ' (changed)';
  lines[4] = JSON.stringify(record);
  writeFileSync(file, lines.join('\n'));
  return { path: shard.path, row: rowsBefore + 4 };
}

/** Compose the quickstart in every format for one case, then run every consumer once over them. */
function caseRun(c: Case): Promise<CaseRun> {
  let run = runs.get(c.label);
  if (!run) {
    run = (async () => {
      const caseDir = path.join(root, c.label.replace(/[^a-z0-9]+/gi, '-'));
      const folders = {} as Record<Format, string>;
      const files = {} as Record<Format, ManifestFile[]>;
      for (const format of FORMATS) {
        const loaded = await loadRecipe(QUICKSTART, { set: [...c.set, `output.format=${format}`] });
        folders[format] = path.join(caseDir, format);
        await compose(loaded, { out: folders[format], workers: 0 });
        files[format] = manifestFiles(folders[format]);
      }
      const outputs = FORMATS.flatMap((format) => ['--output', `${format}=${folders[format]}`]);
      const tampered = c.tamper ? tamperedCopy(folders.jsonl, files.jsonl, path.join(caseDir, 'tampered')) : undefined;
      if (tampered) outputs.push('--output', `jsonl:tampered=${path.join(caseDir, 'tampered')}`);
      const result = await runPython(py, 'load_outputs.py', ['--reference', folders.jsonl, ...outputs], {
        timeoutMs: TIMEOUT - 30_000,
        env: { HF_HOME: path.join(caseDir, 'hf-home') },
      });
      return { folders, files, report: lastJsonLine<Report>(result), ...(tampered ? { tampered } : {}) };
    })();
    runs.set(c.label, run);
  }
  return run;
}

function describeError(error: ConsumerError | null | undefined): string | null {
  return error ? `${error.type}: ${error.message}\n${error.traceback}` : null;
}

describePython(py, 'quickstart outputs load in datasets, pyarrow and DuckDB', () => {
  describe.each(CASES)('$label', (c) => {
    it.each(FORMATS)(
      'datasets.load_dataset(DIR) on %s: the JSONL’s splits, row counts and rows, in order',
      async (format) => {
        const { files, report } = await caseRun(c);
        const expected = rowsBySplit(files.jsonl);
        // The reference itself: the JSONL manifest and the rows Python read agree.
        expect(report.reference).toEqual(expected);
        expect(rowsBySplit(files[format])).toEqual(expected);

        const loaded = report.outputs[format]!.load_dataset;
        expect(describeError(loaded.error)).toBeNull();
        expect(loaded.split_names).toEqual(Object.keys(expected).sort());
        for (const [split, rows] of Object.entries(expected)) {
          const comparison = loaded.splits[split]!;
          expect({ split, rows: comparison.rows, mismatches: comparison.mismatches }).toEqual({
            split,
            rows,
            mismatches: [],
          });
          expect(comparison.mismatch_count).toBe(0);
        }
      },
      TIMEOUT,
    );

    it(
      'pyarrow.parquet.read_table reads every Parquet shard with the manifest’s row count',
      async () => {
        const { files, report } = await caseRun(c);
        const shards = report.outputs.parquet!.pyarrow!;
        expect(shards.map((s) => s.path)).toEqual(files.parquet.map((f) => f.path));
        for (const shard of shards) {
          expect(describeError(shard.error)).toBeNull();
          expect({ path: shard.path, rows: shard.rows }).toEqual({ path: shard.path, rows: shard.manifest_rows });
        }
      },
      TIMEOUT,
    );

    it(
      'DuckDB read_json reads every JSON lines shard (plain, .gz, .zst) with the JSONL’s rows',
      async () => {
        const { files, report } = await caseRun(c);
        for (const format of FORMATS.filter((f) => f !== 'parquet')) {
          const shards = report.outputs[format]!.duckdb!;
          expect(shards.map((s) => s.path)).toEqual(files[format].map((f) => f.path));
          for (const shard of shards) {
            expect(describeError(shard.error)).toBeNull();
            expect({ path: shard.path, rows: shard.rows, mismatches: shard.mismatches }).toEqual({
              path: shard.path,
              rows: shard.manifest_rows,
              mismatches: [],
            });
          }
        }
      },
      TIMEOUT,
    );

    if (c.manyShards) {
      it(
        'splits the train rows over several shards, which load_dataset concatenates in order',
        async () => {
          const { files } = await caseRun(c);
          expect(files.jsonl.filter((f) => f.split === 'train').length).toBeGreaterThan(2);
        },
        TIMEOUT,
      );
    }

    if (c.tamper) {
      it(
        'the comparison is not blind: one changed row in a copy of the JSONL is reported',
        async () => {
          const { files, report, tampered } = await caseRun(c);
          const output = report.outputs['jsonl:tampered']!;
          expect(describeError(output.load_dataset.error)).toBeNull();
          const train = output.load_dataset.splits.train!;
          expect(train.mismatch_count).toBe(1);
          expect(train.mismatches[0]!.row).toBe(tampered!.row);
          expect(train.mismatches[0]!.difference).toContain('(changed)');
          expect(output.load_dataset.splits.validation!.mismatch_count).toBe(0);
          expect(output.duckdb!.map((s) => s.mismatch_count)).toEqual(
            files.jsonl.map((f) => (f.path === tampered!.path ? 1 : 0)),
          );
        },
        TIMEOUT,
      );
    }
  });
});
