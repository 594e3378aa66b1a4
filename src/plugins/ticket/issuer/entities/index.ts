import { TisAnswer } from './tis-answer.entity.js';
import { TisCustomer } from './tis-customer.entity.js';
import { TisEvent } from './tis-event.entity.js';
import { TisInstallationCard } from './tis-installation-card.entity.js';
import { TisIssuedTicket } from './tis-issued-ticket.entity.js';
import { TisOffer } from './tis-offer.entity.js';
import { TisRefund } from './tis-refund.entity.js';
import { TisSale } from './tis-sale.entity.js';
import { TisUnit } from './tis-unit.entity.js';

export { TisAnswer, TisCustomer, TisEvent, TisIssuedTicket, TisOffer, TisSale, TisUnit };
export { TisInstallationCard, TisRefund };
export const ISSUER_ENTITIES = [TisEvent, TisUnit, TisCustomer, TisOffer, TisSale, TisIssuedTicket, TisAnswer, TisInstallationCard, TisRefund];
