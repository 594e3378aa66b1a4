import type { TesseraConfig } from '../config/config.schema.js';
import { PaymentCardPlugin } from './payment-card/payment-card.plugin.js';
import { PhoneCardPlugin } from './phone-card/phone-card.plugin.js';
import type { ServicePlugin } from './plugin.contract.js';
import { TicketPlugin } from './ticket/ticket.plugin.js';

/** The plugins configuration enables, in a fixed order. */
export function enabledPlugins(config: TesseraConfig): ServicePlugin[] {
  const plugins: ServicePlugin[] = [];
  if (config.plugins.ticket) plugins.push(TicketPlugin.init({}));
  if (config.plugins['payment-card']) plugins.push(PaymentCardPlugin.init({}));
  if (config.plugins['phone-card']) plugins.push(PhoneCardPlugin.init({}));
  return plugins;
}
