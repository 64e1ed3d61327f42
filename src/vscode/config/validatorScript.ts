// Node side, no VS Code: compiles a config schema with ajv's standalone code generation into a script for the webview.
// The webview's CSP has no 'unsafe-eval', so ajv cannot compile there; the compiled code is plain JavaScript instead.
import type { Ajv } from '../../core/vendor/ajv';
import { loadAjv } from '../../core/vendor/load';
import type { JsonSchema } from '../../core/schema';
import { VALIDATOR_FACTORY, VALIDATOR_RUNTIME_MODULES } from '../../webviewProtocol/validatorContract';
import { errorText } from '../../core/errors';

export type ValidatorScript = { ok: true; source: string } | { ok: false; reason: string };

function newAjv(): Ajv {
  const { Ajv, addFormats } = loadAjv();
  // The options of src/core/validate.ts, so that the webview reports what the host reports.
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, code: { source: true, esm: false } });
  addFormats(ajv);
  ajv.addFormat('password', true);
  return ajv;
}

/**
 * Makes `</script` and `<!--` harmless inside an inline <script>. They can occur only
 * in string literals of the generated code (property names, enum values, patterns),
 * where `<\/` and `<\!` read as the same characters.
 */
export function escapeForInlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** The modules a generated validator requires. */
export function requiredModules(source: string): string[] {
  return [...new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))];
}

/**
 * A script that defines `window.traceletConfigValidatorFactory(require)`, returning
 * the schema's validate function. Meant for a nonce'd inline <script> before the bundle.
 */
export function validatorScript(schema: JsonSchema): ValidatorScript {
  let code: string;
  try {
    const ajv = newAjv();
    code = loadAjv().standaloneCode(ajv, ajv.compile(schema));
  } catch (err) {
    return { ok: false, reason: `the schema does not compile: ${errorText(err)}` };
  }
  const unknown = requiredModules(code).filter((m) => !(VALIDATOR_RUNTIME_MODULES as readonly string[]).includes(m));
  if (unknown.length > 0) return { ok: false, reason: `the validator needs ${unknown.join(', ')}, which the webview does not carry` };
  const source = `window[${JSON.stringify(VALIDATOR_FACTORY)}] = function (require) {\n  var module = { exports: {} };\n  (function (module, exports, require) {\n${code}\n  })(module, module.exports, require);\n  return module.exports;\n};\n`;
  return { ok: true, source: escapeForInlineScript(source) };
}
