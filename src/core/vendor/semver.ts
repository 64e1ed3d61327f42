// npm's semver, loaded when the first plugin's version or dependency is checked rather than at activation
// (esbuild.mjs builds it as dist/vendor/semver.js).
export { default as semver } from 'semver';
