// A schema model written out as a plugin's configSchema: full JSON Schema, or the shorthand field map; and broken ones.
import type { Node, Prop } from './configModel';
import type { Rng } from './harness';

type Schema = Record<string, unknown>;

/** How a node is marked secret in JSON Schema itself (`secret: true` is the extension's own mark). */
function secretMark(rng: Rng, node: Node, allowSecretKey: boolean): Schema {
  const marks: Schema[] = [{ writeOnly: true }, { writeOnly: true, format: 'password' }];
  if (node.kind === 'string' && node.rule.format === undefined) marks.push({ format: 'password' });
  if (allowSecretKey) marks.push({ secret: true }, { secret: true });
  return rng.pick(marks);
}

function typed(type: string, node: Node): Schema {
  return { type: node.nullable ? [type, 'null'] : type };
}

/** The node in JSON Schema; with `secretKey`, a secret is marked now and then with the extension's own `secret: true`. */
function fullNode(rng: Rng, node: Node, secretKey: boolean): Schema {
  let out: Schema;
  switch (node.kind) {
    case 'string': {
      const { minLength, maxLength, pattern, format } = node.rule;
      out = { ...typed('string', node), minLength, maxLength, pattern: pattern?.source, format: format?.name };
      break;
    }
    case 'number':
    case 'integer':
      out = { ...typed(node.kind, node), minimum: node.minimum, maximum: node.maximum, exclusiveMinimum: node.exclusiveMinimum };
      break;
    case 'boolean':
      out = typed('boolean', node);
      break;
    case 'enum':
      out = { enum: node.values };
      break;
    case 'object':
      out = { type: 'object', properties: Object.fromEntries(node.props.map((p) => [p.name, withDefault(fullNode(rng, p.field, secretKey), p)])) };
      if (node.props.some((p) => p.required)) out.required = node.props.filter((p) => p.required).map((p) => p.name);
      if (node.closed) out.additionalProperties = false;
      break;
    case 'array':
      out = { ...typed('array', node), items: fullNode(rng, node.items, secretKey), minItems: node.minItems };
      break;
    case 'map':
      out = { ...typed('object', node), additionalProperties: fullNode(rng, node.values, secretKey) };
      break;
    case 'union':
      out = { [node.combinator]: node.branches.map((b) => fullNode(rng, b, secretKey)) };
      break;
  }
  if (node.secret) Object.assign(out, secretMark(rng, node, secretKey));
  if (rng.bool(0.1)) out.description = 'What this setting is for.';
  return JSON.parse(JSON.stringify(out)) as Schema;
}

function withDefault(schema: Schema, p: Prop): Schema {
  return p.default === undefined ? schema : { ...schema, default: p.default };
}

/**
 * The shorthand (`{"api_key": {"type": "string", "required": true, "secret": true}}`):
 * a field's `required` and `secret` flags, and an object field's own fields
 * in shorthand too; below arrays, maps and unions, JSON Schema.
 */
function shorthandProps(rng: Rng, props: readonly Prop[]): Schema {
  const out: Schema = {};
  for (const p of props) {
    const node = p.field;
    let spec: Schema;
    if (node.kind === 'object') {
      spec = { type: 'object', properties: shorthandProps(rng, node.props) };
      if (node.closed) spec.additionalProperties = false;
    } else spec = fullNode(rng, { ...node, secret: false } as Node, true);
    if (node.secret) Object.assign(spec, secretMark(rng, node, true));
    if (p.required) spec.required = true;
    out[p.name] = withDefault(spec, p);
  }
  return out;
}

const IDS = ['https://example.org/plugins/demo.json', 'https://example.org/plugins/other.json'];

/** The root object as a plugin's configSchema, full or shorthand. */
export function render(rng: Rng, root: Node & { kind: 'object' }, shorthand: boolean): Schema {
  if (shorthand) return shorthandProps(rng, root.props);
  const schema = fullNode(rng, root, true);
  if (rng.bool(0.2)) schema.$schema = 'http://json-schema.org/draft-07/schema#';
  if (rng.bool(0.15)) schema.$id = rng.pick(IDS);
  return schema;
}

/** A shorthand whose field (at the top or inside an object field) is not an object: normaliseSchema's documented Error. */
export function breakShorthand(rng: Rng, schema: Schema): void {
  let fields = schema;
  for (;;) {
    const objects = Object.values(fields).filter(
      (s): s is Schema => typeof s === 'object' && s !== null && (s as Schema).type === 'object' && typeof (s as Schema).properties === 'object',
    );
    if (objects.length === 0 || rng.bool(0.5)) break;
    fields = rng.pick(objects).properties as Schema;
  }
  fields[rng.pick([...Object.keys(fields), 'added'])] = rng.pick([30, 'string', null, true, [1]]);
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema's own nodes (not its defaults or enum values). */
function schemaNodes(schema: Schema, out: Schema[]): Schema[] {
  out.push(schema);
  for (const k of ['items', 'additionalProperties']) if (isSchema(schema[k])) schemaNodes(schema[k], out);
  if (isSchema(schema.properties)) for (const v of Object.values(schema.properties)) if (isSchema(v)) schemaNodes(v, out);
  for (const k of ['oneOf', 'anyOf']) if (Array.isArray(schema[k])) for (const v of schema[k]) if (isSchema(v)) schemaNodes(v, out);
  return out;
}

/** Full JSON Schema that ajv cannot compile (or that asks for a draft it does not know): a broken keyword somewhere. */
export function breakKeyword(rng: Rng, schema: Schema): void {
  const broken: Schema[] = [
    { type: 'no-such-type' },
    { minimum: 'x' },
    { required: 'a' },
    { pattern: '([' },
    { properties: 5 },
    { items: 5 },
    { $ref: '#/definitions/nowhere' },
    { additionalProperties: 'no' },
    { oneOf: {} },
    { $id: 5 },
    { properties: { a: null } },
  ];
  Object.assign(rng.pick(schemaNodes(schema, [])), rng.pick(broken));
  if (rng.bool(0.1)) schema.$schema = 'https://json-schema.org/draft/2020-12/schema';
}
