/** What a running compose reports as it goes; the CLI turns these into progress lines. */
export type Phase = 'scan' | 'select' | 'write';

export type ComposeEvent =
  | { readonly type: 'phase'; readonly phase: Phase }
  | { readonly type: 'scan-start'; readonly files: number; readonly totalBytes: number }
  | {
      readonly type: 'scan-progress';
      readonly source: string;
      readonly file: string;
      readonly records: number;
      readonly bytes: number;
    }
  | { readonly type: 'done'; readonly phase: Phase; readonly durationMs: number }
  | { readonly type: 'warning'; readonly message: string };

export type Clock = () => Date;
