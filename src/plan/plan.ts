/**
 * The pure half of a mixture: quotas per group for training and validation, computed from the
 * recipe alone. `mixsmith plan` prints this together with what a scan found available.
 */
import type { Recipe } from '../recipe/types.js';
import { apportion, validationTotal } from './quotas.js';

export interface GroupQuota {
  readonly group: string;
  readonly share: number;
  /** Training records wanted. */
  readonly quota: number;
  /** Validation records wanted (drawn in addition to the volume). */
  readonly validationQuota: number;
  /** Position in ownership order: a record found in several groups belongs to the lowest. */
  readonly precedence: number;
}

export interface MixturePlan {
  readonly volume: number;
  readonly validation: number;
  /** In the order of mixture.shares. */
  readonly groups: readonly GroupQuota[];
}

export function planMixture(recipe: Recipe): MixturePlan {
  const shares = Object.entries(recipe.mixture.shares);
  const quotas = apportion(recipe.mixture.volume, shares);
  const validation = validationTotal(recipe.split.validation, recipe.mixture.volume);
  const validationQuotas = apportion(validation, shares);
  return {
    volume: recipe.mixture.volume,
    validation,
    groups: shares.map(([group, share]) => ({
      group,
      share,
      quota: quotas.get(group) ?? 0,
      validationQuota: validationQuotas.get(group) ?? 0,
      precedence: recipe.dedup.prefer.indexOf(group),
    })),
  };
}
