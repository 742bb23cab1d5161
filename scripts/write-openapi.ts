// `make swag`: writes the OpenAPI document that GET /swagger/openapi.json serves to
// docs/openapi.json (for clients and code generators that want a file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApiDocument } from '../src/http/openapi/document.js';
import { packageRoot } from '../src/infra/paths.js';

const file = join(packageRoot(), 'docs', 'openapi.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(openApiDocument(), null, 2) + '\n');
console.log(`wrote ${file}`);
