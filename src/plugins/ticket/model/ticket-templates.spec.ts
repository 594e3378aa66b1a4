import { applyInstruction, initialTicketState } from './ticket-templates.js';

const information = { title: 'T', date: '2030-01-01', location: 'L', seatClass: null, seat: null, sponsor: 'S', transferable: true };

describe('applyInstruction', () => {
  it('lets a single-entry ticket in once', () => {
    const { status, variable } = initialTicketState({ ...information, coupons: null });
    const entered = applyInstruction('enter', status, variable);
    expect(entered).toEqual({ ok: true, status: { ...status, use: 'entered' }, variable });
    if (!entered.ok) throw new Error('not entered');
    expect(applyInstruction('enter', entered.status, entered.variable)).toEqual({ ok: false, reason: 'ticket already entered' });
  });

  it('uses one coupon per examination and exhausts the ticket with the last', () => {
    let state = initialTicketState({ ...information, coupons: 2 });
    const first = applyInstruction('use-coupon', state.status, state.variable);
    if (!first.ok) throw new Error(first.reason);
    expect(first.variable.couponsLeft).toBe(1);
    state = first;
    const last = applyInstruction('use-coupon', state.status, state.variable);
    if (!last.ok) throw new Error(last.reason);
    expect(last).toMatchObject({ status: { use: 'exhausted' }, variable: { couponsLeft: 0 } });
    expect(applyInstruction('use-coupon', last.status, last.variable)).toEqual({ ok: false, reason: 'no coupons left' });
    expect(applyInstruction('use-coupon', initialTicketState({ ...information, coupons: null }).status, { couponsLeft: null })).toEqual({ ok: false, reason: 'not a coupon ticket' });
  });

  it('refuses every instruction, inspection included, for a ticket whose use is disabled', () => {
    const { status, variable } = initialTicketState({ ...information, coupons: 3 });
    for (const instruction of ['enter', 'use-coupon', 'inspect'] as const) {
      expect(applyInstruction(instruction, { ...status, use: 'disabled' }, variable)).toEqual({ ok: false, reason: 'ticket use disabled' });
    }
  });
});
