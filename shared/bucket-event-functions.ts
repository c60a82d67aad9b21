/**
 * Functions run (via EventBridge) for every object created in the documents bucket under a
 * prefix: each upload is inspected when it lands.
 */
import type { FunctionDefinition } from './functions.ts';

/** A function run (via EventBridge) for every object created in the documents bucket under `prefix`. */
export interface BucketEventFunctionDefinition extends FunctionDefinition {
  prefix: string;
}

export const BUCKET_EVENT_FUNCTIONS: Record<string, BucketEventFunctionDefinition> = {
  documentUploaded: {
    entry: 'functions/events/document-uploaded.ts',
    description:
      'A credential document landed: its bytes and name must fit its type, else rejected and deleted',
    // Reads the first bytes, marks the credential's document, deletes a rejected object.
    access: ['main:write', 'documents:read', 'documents:delete'],
    mainWrites: ['credentials'],
    // Deletes only where it inspects.
    documentPrefixes: ['credentials/'],
    prefix: 'credentials/',
  },
  attachmentUploaded: {
    entry: 'functions/events/attachment-uploaded.ts',
    description:
      'A message attachment landed: its bytes and name must fit its type, else marked rejected and deleted',
    // Reads the first bytes, marks the attachment, deletes a rejected object.
    access: ['main:write', 'documents:read', 'documents:delete'],
    mainWrites: ['conversations'],
    // Deletes only where it inspects.
    documentPrefixes: ['conversations/'],
    prefix: 'conversations/',
  },
};
