/**
 * The shape of synthetic case volumes, outcomes and fines: what makes the demo data look like a
 * county bureau's year rather than uniform noise. Every number here is a modelling choice for
 * synthetic data, not a statistic about any real bureau.
 */
import type { Outcome } from '../parse/case-csv.ts';
import type { FineTerms } from '../parse/fine-clause.ts';
import type { PowerType } from '../parse/list-types.ts';
import type { Rng } from './prng.ts';

export interface SyntheticItem {
  code: string;
  seq: number;
  power_type: PowerType | null;
  section: string | null;
  name: string;
  /** Sub-item codes, when the item has sub-items; cases then name one of them. */
  sub_codes?: readonly string[];
}

/** A statutory fine range for one item: the terms of a clause the fine-clause parser read that drawing a fine needs. */
export type FineRange = Pick<FineTerms, 'kind' | 'min_yuan' | 'max_yuan'> &
  Partial<Pick<FineTerms, 'min_multiple' | 'max_multiple'>>;

// Registrations and benefit payments dwarf licences, which dwarf penalties.
const HIGH_VOLUME = /登记|缴费|申报|待遇|支付|发放|转移|接续|核定|补贴|退休|参保|认定|鉴定/;

/** Relative yearly volume of an item; `jitter` spreads items of one kind over a skewed range. */
export function itemWeight(item: SyntheticItem, rng: Rng): number {
  const base: Record<PowerType, number> = {
    行政许可: 8,
    行政处罚: 1,
    行政强制: 0.3,
    行政征收: 40,
    行政给付: 120,
    行政检查: 6,
    行政确认: 60,
    行政奖励: 0.5,
    行政裁决: 4,
    其他行政权力: 30,
  };
  let w = item.power_type ? base[item.power_type] : 5;
  if (item.power_type !== '行政处罚' && HIGH_VOLUME.test(item.name)) w *= 8;
  return w * Math.exp(1.1 * rng.normal()); // log-normal spread: a few items carry most cases
}

export function drawOutcome(powerType: PowerType | null, rng: Rng): Outcome {
  const r = rng.next();
  switch (powerType) {
    case '行政处罚':
      return r < 0.84 ? 'penalized' : r < 0.92 ? 'not_penalized' : r < 0.97 ? 'terminated' : 'transferred';
    case '行政许可':
      return r < 0.9 ? 'approved' : r < 0.97 ? 'denied' : 'withdrawn';
    default:
      return r < 0.95 ? 'approved' : r < 0.99 ? 'denied' : 'withdrawn';
  }
}

const roundTo = (x: number, step: number) => Math.max(step, Math.round(x / step) * step);

/** How many persons a per-person penalty concerns: mostly a handful, sometimes dozens. */
export function drawPersons(rng: Rng): number {
  return Math.min(300, 1 + Math.floor(-Math.log(1 - rng.next()) * 6));
}

export interface DrawnFine {
  fine_yuan: number | null;
  persons: number | null;
}

/**
 * A fine for a penalized case. About `outsideRate` of fines fall outside the statutory range
 * (too low or too high) so the fine-range check has something to find.
 */
export function drawFine(range: FineRange | undefined, rng: Rng, outsideRate = 0.05): DrawnFine {
  if (!range || range.kind === 'unspecified') {
    // No known range: some penalties are warnings only, the rest a plausible amount.
    if (rng.chance(0.3)) return { fine_yuan: null, persons: null };
    return { fine_yuan: roundTo(2000 * Math.exp(rng.normal()), 100), persons: null };
  }
  const outside = rng.chance(outsideRate);
  const within = (lo: number, hi: number, step: number) => {
    if (!outside) return roundTo(lo + rng.next() * (hi - lo), step);
    return rng.chance(0.5) && lo > step
      ? roundTo(lo * (0.2 + 0.6 * rng.next()), step)
      : roundTo(hi * (1.2 + rng.next()), step);
  };
  if (range.kind === 'multiple') {
    const lo = range.min_multiple ?? 1,
      hi = range.max_multiple ?? lo;
    const base = roundTo(3000 * Math.exp(1.2 * rng.normal()), 10);
    return { fine_yuan: within(base * lo, base * hi, 10), persons: null };
  }
  const lo = range.min_yuan ?? 0,
    hi = range.max_yuan ?? lo;
  const step = hi >= 10_000 ? 500 : 50;
  if (range.kind === 'per_person_range') {
    const persons = drawPersons(rng);
    return { fine_yuan: within(lo, hi, step) * persons, persons };
  }
  return { fine_yuan: within(lo, hi, step), persons: null };
}
