// RE2's linear-time engine (the re2js port), loaded on the first user pattern compiled rather than at activation
// (esbuild.mjs builds it as dist/vendor/re2js.js).
export { RE2JS } from 're2js';
