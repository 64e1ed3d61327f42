// ajv with its formats and standalone code generation, as one module: the extension loads it on first use
// (esbuild.mjs builds it as dist/vendor/ajv.js), not at activation, where it would be a third of the code.
// One bundle for the three, since ajv-formats and the standalone generator share ajv's code-generation classes.
export { default as Ajv } from 'ajv';
export type { ValidateFunction } from 'ajv';
export { default as addFormats } from 'ajv-formats';
export { default as standaloneCode } from 'ajv/dist/standalone';
