import type { Clock } from '../../../common/clock.js';
import { externalReceipt } from '../../../core/external-inbound.messages.js';
import { ExternalPartyClient, type ExternalPartyAddress } from '../../../external/transport/external-party-client.js';
import { isExternalPartyError } from '../../../external/transport/external-party-error.js';
import { MessageCodec } from '../../../protocol/codec.js';
import type { PrincipalKeys } from '../../../protocol/crypto/crypto-backend.js';
import type { Envelope } from '../../../protocol/envelope.js';
import type { IssuerId, SpId } from '../../../protocol/ids.js';
import { MessageRegistry } from '../../../protocol/message-registry.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { signPart } from '../../../protocol/signed-part.js';
import { signTicketData } from '../generation/sign-ticket-data.js';
import type { TicketInformation } from '../model/ticket-information.js';
import { MODIFICATION_MESSAGE_TYPE, modificationRequest, type ModificationCode } from '../modification/modification.messages.js';
import { TisEvent, TisIssuedTicket } from './entities/index.js';
import type { IssuerDatabase } from './issuer-database.js';

/** What the issuer's staff change about an event ([1711]: an event changed, or an error found in issued tickets). */
export interface EventChange {
  readonly code: ModificationCode;
  /** The modification message 12904 the users see. */
  readonly text: string;
  /** How long users have to react (modification time limit 12903), from now. */
  readonly replyWithinMs: number;
  readonly templateCode?: string;
  readonly information?: Partial<Pick<TicketInformation, 'title' | 'date' | 'location'>>;
  readonly representativeComponent?: Readonly<Record<string, string>>;
}

export interface ModificationSent {
  readonly modificationNumber: string;
  readonly accepted: boolean;
  /** The SP's process group for the modification, when it accepted the request. */
  readonly processGroup: string | null;
  readonly reason: string | null;
}

export interface ModifyEventDeps {
  readonly id: IssuerId;
  readonly keys: PrincipalKeys;
  readonly envelope: Envelope;
  readonly clock: Clock;
  readonly maxSkewMs: number;
  readonly db: IssuerDatabase;
  readonly serviceProvider: { readonly id: SpId; readonly signingPublicKey: Uint8Array; readonly sealingPublicKey: Uint8Array };
  readonly serviceProviderAddress: ExternalPartyAddress;
  newNumber(prefix: string): string;
}

const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * The issuer's own initiative ([1711]): the event of `ticketCode` is changed in the issuer's tables, and a modification
 * request 8000 / 8100 naming every ticket still issued for it, with its ticket data signed again (so the service
 * provider can generate each new ticket, whatever the change), is sent to the service providing system through its
 * external gateway. Resolves with the SP's sealed receipt, or its refusal.
 */
export async function modifyEvent(deps: ModifyEventDeps, ticketCode: string, change: EventChange): Promise<ModificationSent> {
  const signer = { kid: deps.id, secretKey: deps.keys.signing.secretKey };
  const modificationNumber = deps.newNumber('m');
  const now = deps.clock.now();
  const fields = await deps.db.transaction(async (em): Promise<FieldsOf<typeof modificationRequest>> => {
    const event = await em.getRepository(TisEvent).findOneBy({ ticketCode });
    if (event === null) throw new Error(`no event ${ticketCode}`);
    const changed = { ...event, ...(change.information ?? {}), templateCode: change.templateCode ?? event.templateCode };
    await em.getRepository(TisEvent).update({ ticketCode }, { title: changed.title, date: changed.date, location: changed.location, templateCode: changed.templateCode });
    const tickets = await em.getRepository(TisIssuedTicket).find({ where: { ticketCode, status: 'issued' }, order: { ticketId: 'ASC' } });
    const modifiedTicketData = tickets.map((ticket) =>
      signTicketData(deps.envelope, signer, {
        ticketId: ticket.ticketId,
        ticketCode,
        issuerId: deps.id,
        information: { title: changed.title, date: changed.date, location: changed.location, seatClass: changed.seatClass, seat: changed.seated ? ticket.unit : null, sponsor: changed.sponsor, transferable: changed.transferable, coupons: changed.coupons },
      }),
    );
    return {
      modificationNumber,
      modificationCode: change.code,
      modificationTimeLimit: now + change.replyWithinMs,
      modificationMessage: signPart(deps.envelope, MODIFICATION_MESSAGE_TYPE, { modificationNumber, ticketCode, text: change.text, ticketIssuerId: deps.id }, [signer]),
      ticketCode,
      templateCode: changed.templateCode,
      ticketCount: modifiedTicketData.length,
      modifiedTicketData,
      modifiedRepresentativeComponentInformation: change.representativeComponent === undefined ? null : { ...change.representativeComponent },
      ticketIssuerId: deps.id,
    };
  });
  return { modificationNumber, ...(await sendToServiceProvider(deps, signer, fields)) };
}

async function sendToServiceProvider(deps: ModifyEventDeps, signer: { kid: string; secretKey: Uint8Array }, fields: FieldsOf<typeof modificationRequest>): Promise<Omit<ModificationSent, 'modificationNumber'>> {
  const codec = new MessageCodec(deps.envelope, new MessageRegistry().register(modificationRequest, externalReceipt), deps.clock, { maxSkewMs: deps.maxSkewMs, numberRetentionMs: 2 * deps.maxSkewMs });
  const sp = deps.serviceProvider;
  const { bytes } = codec.compose(modificationRequest, { from: deps.id, to: sp.id, fields }, [signer], sp.sealingPublicKey);
  const client = new ExternalPartyClient(deps.serviceProviderAddress);
  try {
    const reply = await client.exchange(bytes, EXCHANGE_TIMEOUT_MS);
    const me = { id: deps.id, sealingSecretKey: deps.keys.sealing.secretKey, sealingPublicKey: deps.keys.sealing.publicKey };
    const trustSp = { signingKey: (kid: string) => (kid === sp.id ? { usable: true as const, publicKey: sp.signingPublicKey, holder: sp.id } : { usable: false as const, reason: 'unknown-principal' as const }) };
    const { message } = await codec.receive(reply, me, trustSp, { remember: () => true });
    if (message.type !== externalReceipt.type) return { accepted: false, processGroup: null, reason: `unexpected ${message.type}` };
    return message.fields as FieldsOf<typeof externalReceipt>;
  } catch (error) {
    if (isExternalPartyError(error)) return { accepted: false, processGroup: null, reason: error.refusal ?? error.message };
    throw error;
  } finally {
    await client.close();
  }
}
