/** The outcome of reading one form field: its value, or what is wrong with it in words. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const parsedValue = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const parseError = <T = never>(error: string): Parsed<T> => ({ ok: false, error });
