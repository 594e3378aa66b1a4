import { Module, type DynamicModule } from '@nestjs/common';
import type { ServicePlugin } from '../plugin.contract.js';
import { PAYMENT_CARD_OPTIONS, type PaymentCardPluginOptions } from './payment-card.options.js';
import { paymentCardService } from './payment-card.service.js';

/**
 * Electronic payment card service: purchase, registration, micro-check payment at accounting machines and merchant terminals, reference, transfer.
 * Registered with the core; its processes arrive in their own issues (see paymentCardService.terminalModules).
 */
@Module({})
export class PaymentCardPlugin {
  static init(options: PaymentCardPluginOptions): ServicePlugin {
    const module: DynamicModule = { module: PaymentCardPlugin, providers: [{ provide: PAYMENT_CARD_OPTIONS, useValue: options }], exports: [PAYMENT_CARD_OPTIONS] };
    return { descriptor: paymentCardService, module };
  }
}
