/** Which processor of the service providing system talks to the external system of a party. */
export function processorFor(party: string): { actorId: string; kind: string } | undefined {
  if (party.startsWith('iss:ticket:')) return { actorId: 'processor:ticket-issuer', kind: 'ticket-issuer-processor' };
  if (party.startsWith('iss:payment-card:')) return { actorId: 'processor:payment-card-issuer', kind: 'payment-card-issuer-processor' };
  if (party.startsWith('iss:phone-card:')) return { actorId: 'processor:phone-card-issuer', kind: 'phone-card-issuer-processor' };
  if (party.startsWith('tps:')) return { actorId: 'processor:transaction-processor', kind: 'transaction-processor-processor' };
  return undefined;
}
