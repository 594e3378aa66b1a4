/** Options of the payment-card plugin (none yet). */
export interface PaymentCardPluginOptions {}

export const PAYMENT_CARD_OPTIONS = Symbol('PaymentCardPluginOptions');
