import { sameTicketState, type TicketState } from '../examination/examination-checks.js';
import { applyInstruction, type InstructionCode } from '../model/ticket-templates.js';

/** Applies the instruction `times` times; undefined when the ticket cannot take it that often. */
export function applyTimes(instruction: InstructionCode, state: TicketState, times: number): TicketState | undefined {
  let current = state;
  for (let step = 0; step < times; step += 1) {
    const result = applyInstruction(instruction, current.status, current.variable);
    if (!result.ok) return undefined;
    current = { status: result.status, variable: result.variable };
  }
  return current;
}

export type NumberCheck = { readonly ok: true; readonly advances: boolean } | { readonly ok: false; readonly reason: string };

/**
 * [1660]: "employs the ticket examination number when examining the matching of the ticket status with the variable
 * ticket information that has been modified". Every gate of a ticket code gives the same instruction, so the state
 * after examination number n is the last verified state (number N) with the instruction applied n - N times. A
 * response newer than the last verified one must show exactly that state and moves the SP's record forward; an older
 * one (a gate that uploads late) must lead to the last verified state the same way and moves nothing.
 */
export function checkExaminationNumber(instruction: InstructionCode, verified: { readonly number: number; readonly state: TicketState }, response: { readonly number: number; readonly state: TicketState }): NumberCheck {
  if (response.number > verified.number) {
    const expected = applyTimes(instruction, verified.state, response.number - verified.number);
    if (expected === undefined) return { ok: false, reason: `examination ${response.number}: the ticket could not have been examined that often since examination ${verified.number}` };
    if (!sameTicketState(expected, response.state)) return { ok: false, reason: `examination ${response.number}: status or variable information ${describe(response.state)} does not match the ${describe(expected)} the instruction gives` };
    return { ok: true, advances: true };
  }
  const expected = applyTimes(instruction, response.state, verified.number - response.number);
  if (expected === undefined || !sameTicketState(expected, verified.state)) return { ok: false, reason: `examination ${response.number} (late): its ${describe(response.state)} does not lead to the verified state of examination ${verified.number}` };
  return { ok: true, advances: false };
}

function describe(state: TicketState): string {
  return `${state.status.use}${state.variable.couponsLeft === null ? '' : `/${state.variable.couponsLeft} coupons`}`;
}
