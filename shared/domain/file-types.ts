/**
 * What an uploaded file's declared type promises: the extensions its name may end in and the
 * signature its first bytes must carry. A name that does not fit its type is refused when the
 * upload is requested; bytes that do not fit are rejected when the upload completes.
 */

interface FileType {
  extensions: readonly string[];
  /** Whether the file's first bytes (at least HEAD_BYTES when the file is that long) fit the type. */
  fits: (head: Uint8Array) => boolean;
}

/** How many leading bytes an inspection reads. */
export const HEAD_BYTES = 16;

const startsWith = (head: Uint8Array, signature: readonly number[], offset = 0) =>
  signature.every((byte, index) => head[offset + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

const FILE_TYPES: Readonly<Record<string, FileType>> = {
  'application/pdf': { extensions: ['pdf'], fits: (head) => startsWith(head, ascii('%PDF-')) },
  'image/png': {
    extensions: ['png'],
    fits: (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], fits: (head) => startsWith(head, [0xff, 0xd8, 0xff]) },
  'image/gif': {
    extensions: ['gif'],
    fits: (head) => startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a')),
  },
  'image/webp': {
    extensions: ['webp'],
    fits: (head) => startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8),
  },
  // Text has no signature: it must at least not be binary.
  'text/plain': { extensions: ['txt', 'text'], fits: (head) => !head.includes(0) },
};

const extensionOf = (name: string): string | undefined => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : undefined;
};

/** Why `name` does not fit `contentType`, or undefined when it does. */
export const nameMismatch = (name: string, contentType: string): string | undefined => {
  const type = FILE_TYPES[contentType];
  if (type === undefined) return `${contentType} is not an accepted type`;
  const extension = extensionOf(name);
  if (extension !== undefined && type.extensions.includes(extension)) return undefined;
  return `a ${contentType} file's name ends in .${type.extensions.join(' or .')}`;
};

/** Why an uploaded file is not what it was declared to be, or undefined when it is. */
export const contentMismatch = (head: Uint8Array, name: string, contentType: string): string | undefined => {
  const byName = nameMismatch(name, contentType);
  if (byName !== undefined) return byName;
  return FILE_TYPES[contentType]?.fits(head)
    ? undefined
    : `the bytes do not carry the ${contentType} signature`;
};
