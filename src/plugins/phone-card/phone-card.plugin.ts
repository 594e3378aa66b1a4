import { Module, type DynamicModule } from '@nestjs/common';
import type { ServicePlugin } from '../plugin.contract.js';
import { PHONE_CARD_OPTIONS, type PhoneCardPluginOptions } from './phone-card.options.js';
import { phoneCardService } from './phone-card.service.js';

/**
 * Electronic telephone card service: purchase, registration, telephone micro-check at the switching center, reference [1463].
 * Registered with the core; its processes arrive in their own issues (see phoneCardService.terminalModules).
 */
@Module({})
export class PhoneCardPlugin {
  static init(options: PhoneCardPluginOptions): ServicePlugin {
    const module: DynamicModule = { module: PhoneCardPlugin, providers: [{ provide: PHONE_CARD_OPTIONS, useValue: options }], exports: [PHONE_CARD_OPTIONS] };
    return { descriptor: phoneCardService, module };
  }
}
