import { TicketLists1767225600101 } from './1767225600101-ticket-lists.js';
import { RegisteredTicketEntity } from './registered-ticket.entity.js';
import { TicketCustomerEntity } from './ticket-customer.entity.js';
import { TicketExaminationResponseEntity } from './ticket-examination-response.entity.js';
import { TicketManagementEntity } from './ticket-management.entity.js';
import { TicketMerchantEntity } from './ticket-merchant.entity.js';

export { RegisteredTicketEntity, TicketCustomerEntity, TicketExaminationResponseEntity, TicketManagementEntity, TicketMerchantEntity };

export const TICKET_ENTITIES = [TicketManagementEntity, TicketMerchantEntity, TicketCustomerEntity, RegisteredTicketEntity, TicketExaminationResponseEntity];
export const TICKET_MIGRATIONS = [TicketLists1767225600101];
