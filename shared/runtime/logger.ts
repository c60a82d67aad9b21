/**
 * One Powertools logger for every function (created once per cold start). Its formatter
 * redacts PHI wherever it appears in a log item, errors included, so a stray
 * `logger.info('x', { item })` cannot leak a date of birth or a message body.
 */
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redactPhi } from '#domain/phi.ts';

export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redactPhi(additional) as LogAttributes);
  }

  override formatError(error: Error): LogAttributes {
    return redactPhi(super.formatError(error)) as LogAttributes;
  }
}

export const logger = new Logger({ serviceName: 'shiftline', logFormatter: new RedactingLogFormatter() });
