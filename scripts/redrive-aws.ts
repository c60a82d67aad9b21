/**
 * `npm run redrive:aws -- <queue-url> <function-name> [max]`: redrives a dead-letter queue of the
 * deployed stack into its function (scripts/dlq-redrive.ts; docs/runbook.md says which queue
 * belongs to which function). Credentials and region come from the usual AWS environment.
 * A stream consumer's queue holds pointers into the stream: redrive it within 24 hours.
 */
import { createHash, createHmac } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type Invoke, redriveQueue } from './dlq-redrive.ts';

const [queueUrl, functionName, max = '1000'] = process.argv.slice(2);
if (!queueUrl || !functionName) {
  console.error('usage: npm run redrive:aws -- <queue-url> <function-name> [max]');
  process.exit(2);
}
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  console.error('set AWS_REGION');
  process.exit(2);
}

/** SHA-256 and HMAC-SHA-256 for the signer, from node:crypto. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytesOf(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

// Lambda's Invoke API signed by hand: the Lambda SDK client is not a dependency of the project.
const signer = new SignatureV4({ service: 'lambda', region, credentials: defaultProvider(), sha256: Sha256 });

const invoke: Invoke = async (name, payload, mode) => {
  const host = `lambda.${region}.amazonaws.com`;
  const path = `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;
  const body = JSON.stringify(payload);
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname: host,
    path,
    headers: { host, 'content-type': 'application/json', 'x-amz-invocation-type': mode },
    body,
  });
  const response = await fetch(`https://${host}${path}`, { method: 'POST', headers: signed.headers, body });
  const text = await response.text();
  if (!response.ok || response.headers.get('x-amz-function-error')) {
    throw new Error(`${name}: ${response.status} ${text.slice(0, 500)}`);
  }
};

const result = await redriveQueue(
  {
    sqs: new SQSClient({ region }),
    streams: new DynamoDBStreamsClient({ region }),
    invoke,
    now: () => new Date(),
  },
  { queueUrl, functionName, max: Number(max) },
);
console.log(
  `${result.redriven} redriven, ${result.failed} failed (left in the queue), ${result.expired} stream pointer(s) past the 24 h retention (left in the queue)`,
);
process.exitCode = result.failed > 0 || result.expired > 0 ? 1 : 0;
