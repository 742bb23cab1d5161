// k6's `error_code` for a response: 1000 + status for HTTP errors (1404, 1503…), and k6's codes
// for transport failures so scripts that branch on them keep working.
export function errorCodeFor(status: number, error: Error | null): number {
  if (error !== null) return transportErrorCode(error);
  return status >= 400 ? 1000 + status : 0;
}

function transportErrorCode(error: Error): number {
  const code = (error as { code?: string }).code ?? '';
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 1050; // request timeout
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 1211; // dial timeout
    case 'ECONNREFUSED':
      return 1212; // connection refused
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 1220; // reset by peer
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 1101; // DNS lookup failed
    default:
      return 1000; // generic
  }
}
