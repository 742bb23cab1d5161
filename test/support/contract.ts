import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { openApiDocument } from '../../src/http/openapi/document.js';

/**
 * The OpenAPI document as a contract: every answer the test client receives is checked
 * against the operation it documents. OpenAPI 3.1 schemas are JSON Schema 2020-12, so ajv
 * validates them as they are; `#/components/...` references resolve inside the document.
 */

interface Header {
  required?: boolean;
  schema?: { type?: string };
}
interface Response {
  content?: Record<string, { schema?: object }>;
  headers?: Record<string, Header>;
}
interface Operation {
  responses: Record<string, Response>;
}

/** An answer that is not what the document says, with the route, status and field. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

export interface Answer {
  method: string;
  /** The request path with its query, as sent. */
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, undefined when it is not JSON. */
  json: unknown;
}

const document = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: object;
};

const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
// A CommonJS module: its plugin is `default` of what an ES import gets.
ajvFormats.default(ajv);
// Keywords an OpenAPI 3.1 Schema Object may carry besides JSON Schema's; `components`
// carries the document's shared schemas into each compiled one (see validatorFor).
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs', 'components']);

/** Literal paths before templated ones, as OpenAPI matches them (`/result` before `/{id}`). */
const templates = Object.keys(document.paths)
  .map((path) => ({
    path,
    params: (path.match(/\{/g) ?? []).length,
    pattern: new RegExp('^' + path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  }))
  .sort((a, b) => a.params - b.params);

// createApp's catch-all (unknownRoute in src/http/error-handler.ts) and the per-client limit
// in front of it, as the document's description says.
const unknownRouteAnswers = new Map([
  [404, 'NOT_FOUND'],
  [429, 'RATE_LIMITED'],
]);
const unknownRoute = ajv.compile({
  type: 'object',
  properties: {
    code: { enum: [...unknownRouteAnswers.keys()] },
    msg: { type: 'string' },
    data: { type: 'null' },
    reason: { enum: [...unknownRouteAnswers.values()] },
  },
  required: ['code', 'msg', 'data', 'reason'],
  additionalProperties: false,
});

const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...schema, components: document.components });
    validators.set(key, validate);
  }
  return validate;
}

/** Throws a ContractViolation when the answer is not one the document gives for the route. */
export function checkAnswer(answer: Answer): void {
  const { method, status } = answer;
  const path = answer.url.split('?')[0]!;
  const template = templates.find(
    (t) => t.pattern.test(path) && document.paths[t.path]![method.toLowerCase()],
  );
  const route = `${method} ${template?.path ?? path}`;
  // Typed as a whole so TypeScript narrows after a call, as it does after a throw.
  const fail: (what: string) => never = (what) => {
    throw new ContractViolation(`${route} answered ${status}: ${what}\n${answer.text}`);
  };
  if (!template) {
    const json = answer.json as { code?: unknown; reason?: unknown } | null;
    const matches =
      unknownRoute(json) &&
      json?.code === status &&
      unknownRouteAnswers.get(status) === json.reason;
    if (!matches) {
      fail(
        'the route is not in the OpenAPI document (only a 404 NOT_FOUND or 429 RATE_LIMITED envelope may answer)',
      );
    }
    return;
  }
  const operation = document.paths[template.path]![method.toLowerCase()]!;
  const response = operation.responses[String(status)];
  if (!response) {
    fail(`the document lists only ${Object.keys(operation.responses).join(', ')} for it`);
  }
  checkHeaders(response, answer.headers, fail);
  if (!response.content) return;

  const type = answer.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  const media = response.content[type];
  if (!media) {
    fail(`content-type "${type}", documented: ${Object.keys(response.content).join(', ')}`);
  }
  if (type !== 'application/json' || !media.schema) return;
  if (answer.json === undefined) fail('the body is not JSON');
  const validate = validatorFor(`${route} ${status}`, media.schema);
  if (!validate(answer.json)) {
    const fields = (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}` +
        (error.keyword === 'additionalProperties'
          ? ` "${String(error.params['additionalProperty'])}"`
          : ''),
    );
    fail(fields.join('; '));
  }
}

function checkHeaders(response: Response, headers: Headers, fail: (what: string) => never): void {
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const value = headers.get(name);
    if (value === null) {
      if (header.required) fail(`header ${name} is missing`);
      continue;
    }
    if (!header.schema) continue;
    const validate = validatorFor(`header ${name} ${JSON.stringify(header.schema)}`, header.schema);
    const numeric = header.schema.type === 'integer' || header.schema.type === 'number';
    const typed = numeric && value.trim() !== '' ? Number(value) : value;
    if (!validate(typed)) fail(`header ${name}: "${value}" ${validate.errors?.[0]?.message ?? ''}`);
  }
}
