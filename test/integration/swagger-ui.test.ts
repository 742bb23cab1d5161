import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { MOUNTS } from '../../src/http/mounts.js';
import { startHarness, type Harness } from '../support/harness.js';

const CHROMIUM = '/usr/bin/chromium';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/**
 * Headless Chromium's DOM of `url` once the page's scripts have run (Swagger UI renders the
 * operations client-side). Host names other than 127.0.0.1 do not resolve, so the page
 * passes only if it needs nothing from the internet.
 */
async function renderedDom(url: string): Promise<string> {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test and .ci/run do)`,
  );
  const profile = await mkdtemp(join(tmpdir(), 'gomall-chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=10000',
        '--dump-dom',
        url,
      ],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

describe('Swagger UI', () => {
  test('a headless Chromium renders the seckill operation', async () => {
    const document = (await h.api.get(`${MOUNTS.docs}/openapi.json`)).body as any;
    const summary: string = document.paths[MOUNTS.seckill].post.summary;
    const dom = await renderedDom(`${h.api.baseUrl}${MOUNTS.docs}/index.html`);
    assert.match(dom, /class="swagger-ui/, 'Swagger UI mounted');
    const block =
      /<div class="opblock opblock-post[^"]*" id="operations-seckill-post_api_seckill">[\s\S]*?<\/button>/.exec(
        dom,
      );
    assert.ok(block, `the POST ${MOUNTS.seckill} operation is on the page`);
    assert.ok(block[0].includes(`data-path="${MOUNTS.seckill}"`), 'with its path');
    assert.ok(block[0].includes(summary), `with its summary "${summary}"`);
  });

  test('/swagger and /swagger/ redirect to the UI', async () => {
    for (const path of [MOUNTS.docs, `${MOUNTS.docs}/`]) {
      const res = await fetch(h.api.baseUrl + path, { redirect: 'manual' });
      assert.equal(res.status, 302, path);
      assert.equal(res.headers.get('location'), `${MOUNTS.docs}/index.html`);
    }
  });

  test('the page loads only files this server serves', async () => {
    const page = await h.api.get(`${MOUNTS.docs}/index.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'no absolute URL: no CDN, no petstore');
    for (const asset of [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      const res = await fetch(`${h.api.baseUrl}${MOUNTS.docs}/${asset}`);
      assert.equal(res.status, 200, asset);
      await res.arrayBuffer();
    }
  });
});
