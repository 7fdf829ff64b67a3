/**
 * The Unicode version of the runtime's tables (ICU: NFKC, case mapping), which `normalizeForKey`
 * uses through String.prototype.normalize and toLowerCase. It is part of the content key's
 * definition: a text with characters newer than an older runtime's tables normalises, and so
 * keys, differently there (docs/determinism.md). Recorded in every manifest and facts part; the
 * one module outside cli/ that reads `process`, because the value belongs to the key.
 */
export const UNICODE_VERSION: string = process.versions.unicode ?? 'unknown';
