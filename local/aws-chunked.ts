/** The aws-chunked content encoding of the SDK's streamed uploads, undone for s3rver. */

/**
 * Undoes aws-chunked framing (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n`),
 * which the SDK uses for stream bodies and s3rver would store verbatim. Chunk signatures
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are not verified; the SDK v3 sends unsigned chunks.
 */
export const decodeAwsChunked = (
  raw: Buffer,
): { body: Buffer; trailers: Record<string, string> } | undefined => {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    offset = lineEnd + 2;
    if (size === 0) break;
    if (raw.length < offset + size + 2) return undefined;
    parts.push(raw.subarray(offset, offset + size));
    offset += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
};
