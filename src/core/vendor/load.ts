import type * as AjvModule from './ajv';
import type * as Re2Module from './re2js';
import type * as SemverModule from './semver';

// `require` at the call, not `import` at the top: the extension's bundle leaves these modules out and loads
// them from dist/vendor/ when first asked for (esbuild.mjs), so activation parses none of them. Node caches
// a required module, so each is loaded once.

export function loadAjv(): typeof AjvModule {
  return require('./ajv') as typeof AjvModule;
}

export function loadRe2(): typeof Re2Module.RE2JS {
  return (require('./re2js') as typeof Re2Module).RE2JS;
}

export function loadSemver(): typeof SemverModule.semver {
  return (require('./semver') as typeof SemverModule).semver;
}
