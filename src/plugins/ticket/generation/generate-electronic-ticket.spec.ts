// Proves electronic ticket generation [1602]-[1605]: program from the template and management keys, status and variable information from the usage conditions, a fresh key pair certified by the SP, the issuer-signed ticket data kept byte for byte as the presentation ticket.
import { fromBase64 } from '../../../common/bytes.js';
import { generatePrincipalKeys } from '../../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../../protocol/crypto/node-backend.js';
import { Envelope } from '../../../protocol/envelope.js';
import { InvariantError } from '../../../protocol/errors.js';
import { openPart } from '../../../protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../model/ticket-certificate.js';
import { TICKET_DATA_TYPE, ticketDataBody, type TicketDataBody } from '../model/ticket-information.js';
import { generateElectronicTicket } from './generate-electronic-ticket.js';
import { newTicketManagement } from './ticket-management-keys.js';
import { signTicketData } from './sign-ticket-data.js';

const crypto = new NodeCryptoBackend();
const envelope = new Envelope(crypto);
const spKeys = generatePrincipalKeys(crypto);
const issuerKeys = generatePrincipalKeys(crypto);
const spSigner = { kid: 'sp:tessera', secretKey: spKeys.signing.secretKey };
const issuer = { kid: 'iss:ticket:acme', secretKey: issuerKeys.signing.secretKey };
const now = 1_767_225_600_000;
const purchase = { requestNumber: 'r1', transactionNumber: 't1', clearing: 'spontaneous' as const };

const couponData: TicketDataBody = {
  ticketId: 'acme-museum-1',
  ticketCode: 'museum-pass',
  issuerId: 'iss:ticket:acme',
  information: { title: 'Museum pass', date: '2026-12-01', location: 'City museum', seatClass: null, seat: null, sponsor: 'Acme', transferable: true, coupons: 3 },
};
const management = newTicketManagement(crypto, { ticketCode: 'museum-pass', ticketName: 'Museum pass', issuerId: 'iss:ticket:acme', templateCode: 'coupon.book-v1', validUntil: now + 86_400_000, now });

describe('generateElectronicTicket', () => {
  const ticketData = signTicketData(envelope, issuer, couponData);
  const sut = () => generateElectronicTicket({ envelope, crypto, spSigner }, { management, ticketData, holder: 'usr:alice', representativeComponent: null, purchase, now });

  it('builds the program from the template and the management keys', () => {
    const { ticket } = sut();
    expect(ticket.program.transactionModule).toEqual({ moduleId: 'ticket.transaction.coupon', version: '1' });
    expect(ticket.program.displayModule).toEqual({ moduleId: 'ticket.display.coupon', version: '1' });
    expect(ticket.program.ticketSealingSecretKey).toEqual(fromBase64(management.ticketPrivateKey));
    expect(ticket.program.gateSealingPublicKey).toEqual(fromBase64(management.gatePublicKey));
    expect(ticket.representativeComponent).toEqual({ layout: 'coupon', colour: '#2e8b57' });
  });

  it('takes status and variable information from the usage conditions', () => {
    const { ticket, row } = sut();
    expect(ticket.status).toEqual({ registration: 'unregistered', transferable: true, use: 'unused' });
    expect(ticket.variable).toEqual({ couponsLeft: 3 });
    expect(row).toMatchObject({ ticketId: 'acme-museum-1', userId: 'usr:alice', lifecycle: 'issued', examinationNumber: 0, clearing: 'spontaneous', status: ticket.status });
  });

  it('certifies a fresh signature key, signed by the SP, and keeps the issuer-signed ticket data as the presentation ticket', () => {
    const first = sut();
    const second = sut();
    expect(first.ticket.signingSecretKey).not.toEqual(second.ticket.signingSecretKey);
    const certificate = openPart(envelope, TICKET_CERTIFICATE_TYPE, first.ticket.certificate, ticketCertificateBody, ['sp:tessera'], (kid) => (kid === 'sp:tessera' ? spKeys.signing.publicKey : undefined));
    expect(certificate.ok).toBe(true);
    if (!certificate.ok) return;
    expect(certificate.body).toMatchObject({ ticketId: 'acme-museum-1', registered: false, holder: 'usr:alice', validUntil: management.validUntil });
    expect(certificate.body.signingPublicKey).toEqual(crypto.ed25519PublicKey(first.ticket.signingSecretKey));
    expect(first.row.signingPublicKey).toBe(Buffer.from(certificate.body.signingPublicKey).toString('base64'));
    expect(first.ticket.presentationTicket).toBe(ticketData);
    const presented = openPart(envelope, TICKET_DATA_TYPE, first.ticket.presentationTicket, ticketDataBody, ['iss:ticket:acme'], () => issuerKeys.signing.publicKey);
    expect(presented.ok).toBe(true);
  });

  it('uses the representative component information of the commission when given', () => {
    const { ticket } = generateElectronicTicket({ envelope, crypto, spSigner }, { management, ticketData, holder: 'usr:alice', representativeComponent: { layout: 'gold' }, purchase, now });
    expect(ticket.representativeComponent).toEqual({ layout: 'gold' });
  });

  it('refuses ticket data of another ticket code', () => {
    const other = signTicketData(envelope, issuer, { ...couponData, ticketCode: 'concert' });
    expect(() => generateElectronicTicket({ envelope, crypto, spSigner }, { management, ticketData: other, holder: 'usr:alice', representativeComponent: null, purchase, now })).toThrow(InvariantError);
  });
});
