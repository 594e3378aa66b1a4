export const PLATFORM = Symbol('Platform');
