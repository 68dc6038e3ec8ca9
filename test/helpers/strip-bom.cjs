/**
 * CommonJS stand-in for `strip-bom` (v5 is ESM-only, and jest on Node 20 cannot require it). Only
 * `@microsoft/app-manifest` needs it, in the manifest tests; jest.config.cjs maps it here.
 */
module.exports = function stripBom(text) {
  if (typeof text !== 'string') throw new TypeError(`Expected a string, got ${typeof text}`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};
module.exports.default = module.exports;
