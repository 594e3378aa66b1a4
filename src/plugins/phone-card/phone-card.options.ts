/** Options of the phone-card plugin (none yet). */
export interface PhoneCardPluginOptions {}

export const PHONE_CARD_OPTIONS = Symbol('PhoneCardPluginOptions');
