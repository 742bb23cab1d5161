// Request bodies as k6 sends them: strings and binary as-is, a plain object as an
// application/x-www-form-urlencoded form with its keys sorted (Go's url.Values.Encode).
export type Payload = string | Uint8Array | null;

export interface EncodedBody {
  payload: Payload;
  /** Content-Type to add when the script did not set one. */
  contentType: string | undefined;
}

const NONE: EncodedBody = { payload: null, contentType: undefined };

export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined || body === null) return NONE;
  if (typeof body === 'string') return { payload: body, contentType: undefined };
  if (body instanceof ArrayBuffer) return { payload: new Uint8Array(body), contentType: undefined };
  if (ArrayBuffer.isView(body)) {
    return {
      payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      contentType: undefined,
    };
  }
  if (typeof body === 'object') {
    const form = Object.keys(body)
      .sort()
      .map(
        (key) =>
          `${encodeURIComponent(key)}=${encodeURIComponent(formValue(key, (body as Record<string, unknown>)[key]))}`,
      )
      .join('&');
    return { payload: form, contentType: 'application/x-www-form-urlencoded' };
  }
  throw new TypeError(
    `unsupported request body of type ${typeof body}: pass a string, an ArrayBuffer or an object (form)`,
  );
}

function formValue(key: string, value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    throw new TypeError(
      `form field "${key}": file uploads (http.file) and nested objects are not supported`,
    );
  }
  return String(value);
}

export function payloadLength(payload: Payload): number {
  if (payload === null) return 0;
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}
