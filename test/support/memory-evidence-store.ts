/** An in-memory evidence store (the Object Lock bucket's port): objects created once, never replaced. */
import type { EvidenceStore } from '#domain/audit/ports.ts';

export const memoryEvidenceStore = (): EvidenceStore & { objects: Map<string, Buffer> } => {
  const objects = new Map<string, Buffer>();
  return {
    objects,
    create: async (key, body) => {
      if (objects.has(key)) return 'exists';
      objects.set(key, body);
      return {};
    },
    read: async (key) => {
      const bytes = objects.get(key);
      return bytes ? { bytes } : undefined;
    },
    list: async (prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort(),
  };
};
