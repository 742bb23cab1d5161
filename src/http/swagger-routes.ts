import express, { Router } from 'express';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { openApiDocument } from './openapi/document.js';
import { SWAGGER_PAGE } from './swagger-page.js';

/**
 * The OpenAPI document and Swagger UI, mounted at MOUNTS.docs. The document is serialised
 * once, when the app is built; the UI's files come from the installed swagger-ui-dist.
 */
export function swaggerRoutes(): Router {
  const document = JSON.stringify(openApiDocument());
  const router = Router();

  // Both /swagger and /swagger/ (express routes are not strict about the trailing slash).
  router.get('/', (req, res) => {
    res.redirect(302, `${req.baseUrl}/index.html`);
  });

  router.get('/index.html', (_req, res) => {
    res.type('html').send(SWAGGER_PAGE);
  });

  router.get('/openapi.json', (_req, res) => {
    res.type('json').send(document);
  });

  // index: false so the package's own index.html (the petstore demo) is never served.
  router.use(express.static(getAbsoluteFSPath(), { index: false, redirect: false }));

  return router;
}
