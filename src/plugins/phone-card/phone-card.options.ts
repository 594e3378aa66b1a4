/** Options of the phone-card plugin (none yet). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PhoneCardPluginOptions {}

export const PHONE_CARD_OPTIONS = Symbol('PhoneCardPluginOptions');
