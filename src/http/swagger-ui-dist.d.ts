// swagger-ui-dist ships no types. Only this file of it is imported: its index.js also loads
// the 1.7 MB browser bundle into the server process.
declare module 'swagger-ui-dist/absolute-path.js' {
  /** The folder holding Swagger UI's static files. */
  export default function getAbsoluteFSPath(): string;
}
