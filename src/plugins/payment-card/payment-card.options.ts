/** Options of the payment-card plugin (none yet). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PaymentCardPluginOptions {}

export const PAYMENT_CARD_OPTIONS = Symbol('PaymentCardPluginOptions');
