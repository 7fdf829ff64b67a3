/** A point with no training row is an error, in compose and in the staged path alike, with the same words. */
import { MixsmithError } from '../errors.js';

export function refuseEmptyTraining(
  selections: readonly { readonly rows: { readonly train: number }; readonly point: { readonly name: string } }[],
): void {
  for (const selection of selections) {
    if (selection.rows.train > 0) continue;
    const where = selection.point.name ? `point ${selection.point.name}: ` : '';
    throw new MixsmithError(
      'SHORTAGE',
      `${where}0 training rows: every group is empty after reading, filters, deduplication and decontamination`,
      {
        hint: "check removed.jsonl for why records were left out (reason column), and the sources' paths and schemas",
      },
    );
  }
}
