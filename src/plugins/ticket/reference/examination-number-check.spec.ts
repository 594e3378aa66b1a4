// Proves the reference's examination number check [1660]: a newer response must show the last verified state with the
// instruction applied once per examination since; an older one must lead to it; anything else is refused.
import { checkExaminationNumber } from './examination-number-check.js';

const coupons = (left: number, use: 'unused' | 'exhausted' = left === 0 ? 'exhausted' : 'unused') => ({ status: { registration: 'registered' as const, transferable: false, use }, variable: { couponsLeft: left } });
const single = (use: 'unused' | 'entered') => ({ status: { registration: 'registered' as const, transferable: false, use }, variable: { couponsLeft: null } });

describe('checkExaminationNumber', () => {
  it.each([
    ['the next coupon', 0, 3, 1, 2, { ok: true, advances: true }],
    ['two coupons ahead (another gate uploads later)', 0, 3, 2, 1, { ok: true, advances: true }],
    ['the last coupon', 2, 1, 3, 0, { ok: true, advances: true }],
    ['a late upload of an earlier examination', 2, 1, 1, 2, { ok: true, advances: false }],
  ])('accepts %s', (_, verifiedNumber, verifiedLeft, number, left, expected) => {
    expect(checkExaminationNumber('use-coupon', { number: verifiedNumber, state: coupons(verifiedLeft) }, { number, state: coupons(left) })).toEqual(expected);
  });

  it.each([
    ['an altered coupon count', 0, 3, 1, 8],
    ['a count that did not go down', 0, 3, 1, 3],
    ['more examinations than coupons', 0, 1, 2, 0],
    ['a late upload that does not lead to the verified state', 2, 1, 1, 5],
  ])('refuses %s', (_, verifiedNumber, verifiedLeft, number, left) => {
    expect(checkExaminationNumber('use-coupon', { number: verifiedNumber, state: coupons(verifiedLeft) }, { number, state: coupons(left) }).ok).toBe(false);
  });

  it('refuses a single-entry ticket examined twice', () => {
    expect(checkExaminationNumber('enter', { number: 0, state: single('unused') }, { number: 2, state: single('entered') }).ok).toBe(false);
    expect(checkExaminationNumber('enter', { number: 0, state: single('unused') }, { number: 1, state: single('entered') })).toEqual({ ok: true, advances: true });
  });
});
